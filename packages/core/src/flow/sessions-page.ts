import type { SessionSummary } from '../session/manage.js'

/**
 * The host's ready devices page: every session of the signed-in user, with
 * forms to revoke one, sign out the others, and log out everywhere. Plain,
 * accessible HTML (a captioned table, labelled buttons), every value
 * escaped, no script; the forms post to Share's own endpoints, which check
 * the Origin (CSRF-safe).
 */

const escapeHtml = (value: unknown) =>
  String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

const when = (epochMs: number) =>
  `${new Date(epochMs).toISOString().replace('T', ' ').slice(0, 16)} UTC`

/** A short device name from a user agent, for people: "Chrome on Linux". */
export function deviceName(userAgent: string | null | undefined): string {
  if (!userAgent) return 'Unknown device'
  // Edge's user agent names Chrome (and Safari) before its own `Edg/`: look for Edge first.
  const browser = /\bEdg\/[\d.]+/.test(userAgent)
    ? 'Edge'
    : (/(Firefox|Chrome|Safari)\/[\d.]+/.exec(userAgent)?.[1] ?? 'Browser')
  const system = /(Windows|Mac OS X|Linux|Android|iPhone)/.exec(userAgent)?.[1] ?? 'unknown system'
  return `${browser} on ${system}`
}

export interface SessionsPagePaths {
  readonly revoke: string
  readonly revokeOthers: string
  readonly revokeAll: string
}

export function renderSessionsPage(
  userId: string,
  sessions: readonly SessionSummary[],
  paths: SessionsPagePaths,
): string {
  const rows = sessions.map((s) => {
    const device = escapeHtml(deviceName(s.client?.userAgent))
    const remotes =
      s.remotes
        .map((r) => `${escapeHtml(r.audience)} <small>(${when(r.lastSeenAt)})</small>`)
        .join('<br>') || '<small>none yet</small>'
    const label = `${device}${s.current ? ' <strong>(this device)</strong>' : ''}${s.rememberMe ? ' <small>remembered</small>' : ''}`
    return `<tr data-handle="${escapeHtml(s.handle)}"><th scope="row">${label}</th><td>${escapeHtml(s.client?.ip ?? 'unknown')}</td><td>${when(s.lastSeenAt)}</td><td>${remotes}</td>
<td><form method="post" action="${escapeHtml(paths.revoke)}"><input type="hidden" name="handle" value="${escapeHtml(s.handle)}"><button aria-label="Revoke ${device}, last seen ${when(s.lastSeenAt)}">Revoke</button></form></td></tr>`
  })
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Your sessions</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:56rem;margin:2rem auto;padding:0 1rem;color:#1d1d1f}
table{border-collapse:collapse;width:100%}caption{text-align:left;padding:.4rem 0;color:#555}
th,td{text-align:left;padding:.45rem .6rem;border-bottom:1px solid #ddd;vertical-align:top}small{color:#555}
button{font:inherit;padding:.3rem .8rem;border:1px solid #888;border-radius:.3rem;background:#fff;cursor:pointer}
button:focus-visible{outline:2px solid #0a58ca;outline-offset:2px}form{display:inline;margin-right:.5rem}</style>
</head><body><main>
<h1>Your sessions</h1>
<table><caption>Every device signed in as ${escapeHtml(userId)}, and the apps each one reached</caption>
<thead><tr><th scope="col">Device</th><th scope="col">IP</th><th scope="col">Last seen</th><th scope="col">Apps reached</th><th scope="col"><span hidden>Actions</span></th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>
<p><form method="post" action="${escapeHtml(paths.revokeOthers)}"><button>Sign out all other devices</button></form>
<form method="post" action="${escapeHtml(paths.revokeAll)}"><button>Log out everywhere</button></form></p>
</main></body></html>`
}
