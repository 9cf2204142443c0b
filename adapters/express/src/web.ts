import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http'
import { Readable } from 'node:stream'
import type { HeaderList, ShareRequest } from '@share/core'

/**
 * Conversion between Node's request/response (what Express hands out) and
 * what core reads and answers. The request is passed as a light object, not
 * a Web Request: building one costs more than the whole session lookup. Its
 * URL's origin comes from configuration, never from Host or X-Forwarded-*.
 */

/** The parts of an Express request used here; Express 4 and 5 both fit. */
export interface NodeRequest extends IncomingMessage {
  originalUrl?: string
  body?: unknown
}

export function toShareRequest(req: NodeRequest, origin: string): ShareRequest {
  const target = req.originalUrl ?? req.url ?? '/'
  // A request target in absolute form is reduced to its path and query.
  const path = target.startsWith('/') ? target : pathOf(target)
  let body: ReadableStream<Uint8Array> | null | undefined
  return {
    method: req.method ?? 'GET',
    url: origin + path,
    headers: { get: (name) => headerValue(req.headers, name) },
    get body() {
      // Streamed only when core asks (its own POST endpoints).
      body ??= requestBody(req)
      return body
    },
  }
}

function pathOf(target: string): string {
  try {
    const url = new URL(target)
    return url.pathname + url.search
  } catch {
    return '/'
  }
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | null {
  const value = headers[name.toLowerCase()]
  if (value === undefined) return null
  return Array.isArray(value) ? value.join(', ') : value
}

/** The body as a stream, or re-encoded when a body parser already read it. */
function requestBody(req: NodeRequest): ReadableStream<Uint8Array> | null {
  if (req.method === 'GET' || req.method === 'HEAD') return null
  if (req.body && typeof req.body === 'object' && !req.readable) {
    const text = new URLSearchParams(req.body as Record<string, string>).toString()
    return new Response(text).body
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
export function addHeaders(res: ServerResponse, headers: HeaderList): void {
  for (const [name, value] of headers) {
    if (name.toLowerCase() !== 'set-cookie') {
      res.setHeader(name, value)
      continue
    }
    const existing = res.getHeader('set-cookie')
    const before =
      existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)]
    res.setHeader('Set-Cookie', [...before, value])
  }
}
