import type { IncomingMessage, ServerResponse } from 'node:http'
import { Readable } from 'node:stream'

/**
 * Conversion between Node's request/response (what Express hands out) and
 * Web-standard Request/Response (what core speaks). The URL's origin comes
 * from configuration, never from Host or X-Forwarded-* headers.
 */

/** The parts of an Express request used here; Express 4 and 5 both fit. */
export interface NodeRequest extends IncomingMessage {
  originalUrl?: string
  body?: unknown
}

export function toWebRequest(req: NodeRequest, origin: string): Request {
  // originalUrl is the path and query as received; a request target in absolute form is reduced to it.
  const target = new URL(req.originalUrl ?? req.url ?? '/', origin)
  const url = new URL(target.pathname + target.search, origin)
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item)
  }
  const method = req.method ?? 'GET'
  if (method === 'GET' || method === 'HEAD') return new Request(url, { method, headers })
  return new Request(url, {
    method,
    headers,
    body: requestBody(req, headers),
    duplex: 'half',
  } as RequestInit)
}

/** The body as a stream, or re-encoded when a body parser already read it. */
function requestBody(req: NodeRequest, headers: Headers): BodyInit | null {
  if (req.body && typeof req.body === 'object' && !req.readable) {
    headers.delete('content-length')
    return new URLSearchParams(req.body as Record<string, string>).toString()
  }
  if (!req.readable) return null
  return Readable.toWeb(req) as ReadableStream<Uint8Array>
}

/** Writes a Web Response to Node's response, Set-Cookie lines kept apart. */
export async function sendWebResponse(res: ServerResponse, response: Response): Promise<void> {
  res.statusCode = response.status
  for (const [name, value] of response.headers) {
    if (name !== 'set-cookie') res.setHeader(name, value)
  }
  const cookies = response.headers.getSetCookie()
  if (cookies.length > 0) res.setHeader('Set-Cookie', cookies)
  res.end(response.body ? Buffer.from(await response.arrayBuffer()) : undefined)
}

/** Adds core's headers to the response the app will write (cookies appended, not replaced). */
export function addHeaders(res: ServerResponse, headers: Headers): void {
  for (const [name, value] of headers) {
    if (name !== 'set-cookie') res.setHeader(name, value)
  }
  const cookies = headers.getSetCookie()
  if (cookies.length === 0) return
  const existing = res.getHeader('set-cookie')
  const before =
    existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)]
  res.setHeader('Set-Cookie', [...before, ...cookies])
}
