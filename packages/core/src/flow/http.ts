import { errorStatus, isShareError, ShareError, type ShareErrorCode } from '../errors.js'

/**
 * Response and request helpers shared by the host and remote handlers: the
 * security headers, redirects, error pages, form bodies, the Origin check.
 */

/**
 * What the handlers read from a request. A Web `Request` is one; an adapter
 * may pass something lighter (Express does, to avoid building a Request on
 * every call). Only the path and query of `url` are used, never its origin.
 */
export interface ShareRequest {
  readonly method: string
  /** An absolute URL. */
  readonly url: string
  readonly headers: { get(name: string): string | null }
  readonly body: ReadableStream<Uint8Array> | null
}

/** Headers for the app's response, Set-Cookie lines as separate pairs. */
export type HeaderList = readonly (readonly [name: string, value: string])[]

/** The path and the query (with its `?`) of an absolute URL, without building a URL object. */
export function splitUrl(url: string): { path: string; search: string } {
  const start = url.indexOf('/', url.indexOf('//') + 2)
  if (start < 0) return { path: '/', search: '' }
  const hash = url.indexOf('#', start)
  const end = hash < 0 ? url.length : hash
  const query = url.indexOf('?', start)
  if (query < 0 || query > end) return { path: url.slice(start, end), search: '' }
  return { path: url.slice(start, query), search: url.slice(query, end) }
}

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

const MAX_FORM_BYTES = 8192

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
  const message = new ShareError(code).message
  const status = errorStatus(code)
  const headers = new Headers(options.headers)
  for (const [name, value] of Object.entries(SENSITIVE_HEADERS)) headers.set(name, value)
  headers.set(
    'Content-Security-Policy',
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  )
  if (status === 405) headers.set('Allow', 'GET, POST')
  if ((request.headers.get('accept') ?? '').includes('application/json')) {
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

/** The single value of a query parameter; repeated or over-long values are refused. */
export function singleParam(url: URL, name: string, maxLength: number): string | null {
  const values = url.searchParams.getAll(name)
  if (values.length === 0) return null
  if (values.length > 1 || values[0]!.length > maxLength)
    throw new ShareError('ERR_REQUEST_INVALID')
  return values[0]!
}

/** A urlencoded form body of at most 8 KB; anything else is an empty form. */
export async function readForm(request: ShareRequest): Promise<URLSearchParams> {
  const type = request.headers.get('content-type') ?? ''
  if (!type.startsWith('application/x-www-form-urlencoded') || request.body === null) {
    return new URLSearchParams()
  }
  const declared = Number(request.headers.get('content-length') ?? '0')
  if (declared > MAX_FORM_BYTES) throw new ShareError('ERR_BODY_TOO_LARGE')
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > MAX_FORM_BYTES) {
      await reader.cancel()
      throw new ShareError('ERR_BODY_TOO_LARGE')
    }
    chunks.push(value)
  }
  const bytes = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return new URLSearchParams(new TextDecoder().decode(bytes))
}

/**
 * State-changing endpoints take POST only, sent by this site: the Origin
 * header must be the app's origin (or, where a browser omits it,
 * Sec-Fetch-Site must say same-origin).
 */
export function assertSameOriginPost(request: ShareRequest, origin: string): void {
  if (request.method !== 'POST') throw new ShareError('ERR_METHOD_NOT_ALLOWED')
  const sent = request.headers.get('origin')
  if (sent !== null ? sent === origin : request.headers.get('sec-fetch-site') === 'same-origin')
    return
  throw new ShareError('ERR_ORIGIN_MISMATCH')
}

/**
 * A path on this app to send the browser to: must start with one `/` (not
 * `//` or `/\`, which browsers read as another host), no control characters,
 * at most 2048 characters. Anything else becomes `fallback`.
 */
export function safeLocalPath(value: string | null | undefined, fallback = '/'): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048) return fallback
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return fallback
  return value
}

/** The path and query of a request URL (what a user wanted), never its origin. */
export function pathAndQuery(url: string): string {
  const { path, search } = splitUrl(url)
  return path + search
}
