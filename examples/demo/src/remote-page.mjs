// @ts-check
import { escapeHtml, layout, when } from './layout.mjs'

/**
 * A remote's page: who is signed in, links to the other apps, logout buttons.
 * @param {{ app: string, colour: string, share: import('@share/core').ResolvedSession | null,
 *   remote: import('@share/core').ShareRemote, links: { host: string, other: { name: string, url: string } } }} options
 */
export function remotePage({ app, colour, share, remote, links }) {
  const user = /** @type {{ name?: string, email?: string } | null} */ (share?.user ?? null)
  const body = `<div class="card"><h1>Hello, ${escapeHtml(user?.name ?? share?.userId ?? 'stranger')}</h1>
<p>Signed in as <strong id="user">${escapeHtml(share?.userId ?? '')}</strong>${user?.email ? ` (${escapeHtml(user.email)})` : ''}, through the host. This app never saw a password.</p>
<p class="muted">Session on this app since ${share ? when(share.session.createdAt) : '?'}.</p>
<nav><a href="${escapeHtml(links.other.url)}">${escapeHtml(links.other.name)}</a><a href="${escapeHtml(links.host)}/sessions">Your sessions at the host</a></nav></div>
<div class="card"><form class="inline" method="post" action="${remote.paths.logout}"><button>Log out of this app</button></form>
<form class="inline" method="post" action="${remote.paths.logout}"><input type="hidden" name="everywhere" value="1"><button class="danger">Log out everywhere</button></form></div>`
  return layout({ app, colour, title: 'Home', body })
}
