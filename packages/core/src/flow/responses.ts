import { errorStatus, isShareError, ShareError, type ShareErrorCode } from '../errors.js'
import type { ShareRequest } from './request.js'

/** The responses the handlers answer with: redirects and error pages, with their security headers. */

/** Headers for every response that carries or consumes a token or sets a session cookie. */
export const SENSITIVE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
})

/** Headers for every page of the host: it must never be framed (clickjacking of sign-in). */
export const HOST_PAGE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Content-Security-Policy': "frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
})

export function redirect(location: string, status: 302 | 303, headers: HeadersInit = {}): Response {
  const response = new Response(null, { status, headers })
  response.headers.set('Location', location)
  for (const [name, value] of Object.entries(SENSITIVE_HEADERS)) response.headers.set(name, value)
  return response
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

export interface ErrorPageOptions {
  /** Extra headers, e.g. clearing a cookie. */
  headers?: Headers
  /** A same-site link offered on the page (never followed automatically: no redirect loop). */
  link?: { href: string; label: string }
  /** Answer JSON whatever the request's Accept says (API callers of a guard). */
  json?: boolean
  /** Show the error's developer detail on the page (the `development` option only). */
  detail?: boolean
}

/**
 * The page (or JSON, when the client asks for it) for a failure: the code,
 * its fixed message and status. Never echoes a token, callback or cookie, and
 * is never a redirect. Anything but a ShareError is an internal 500.
 */
export function errorResponse(
  error: unknown,
  request: ShareRequest,
  options: ErrorPageOptions = {},
): Response {
  const code: ShareErrorCode = isShareError(error) ? error.code : 'ERR_INTERNAL'
  // Fixed text per code: a ShareError's detail is for logs, not for the page.
  const fixed = new ShareError(code).message
  const detail = options.detail && isShareError(error) ? error.detail : undefined
  const message = detail ? `${fixed} (${detail})` : fixed
  const status = errorStatus(code)
  const headers = new Headers(options.headers)
  for (const [name, value] of Object.entries(SENSITIVE_HEADERS)) headers.set(name, value)
  headers.set(
    'Content-Security-Policy',
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  )
  if (status === 405) headers.set('Allow', 'GET, POST')
  if (options.json || (request.headers.get('accept') ?? '').includes('application/json')) {
    headers.set('Content-Type', 'application/json; charset=utf-8')
    return new Response(JSON.stringify({ error: { code, message } }), { status, headers })
  }
  headers.set('Content-Type', 'text/html; charset=utf-8')
  const link = options.link
    ? `<p><a href="${escapeHtml(options.link.href)}">${escapeHtml(options.link.label)}</a></p>`
    : ''
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${status} ${escapeHtml(code)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem}code{background:#eee;padding:0 .3em}</style></head>
<body><h1>${status === 503 ? 'Please try again shortly' : 'That did not work'}</h1><p>${escapeHtml(message)}.</p><p>Error code: <code>${escapeHtml(code)}</code></p>${link}</body></html>`
  return new Response(body, { status, headers })
}
