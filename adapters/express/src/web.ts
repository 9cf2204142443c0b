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
  return new NodeShareRequest(req, origin)
}

/**
 * A class, not an object literal: a literal with a getter (the lazy body) and
 * a closure per request cost more than the rest of the adapter together.
 */
class NodeShareRequest implements ShareRequest {
  readonly method: string
  readonly url: string
  readonly headers: NodeHeaders
  readonly #req: NodeRequest
  #body: ReadableStream<Uint8Array> | null | undefined

  constructor(req: NodeRequest, origin: string) {
    const target = req.originalUrl ?? req.url ?? '/'
    // A request target in absolute form is reduced to its path and query.
    this.method = req.method ?? 'GET'
    this.url = origin + (target.startsWith('/') ? target : pathOf(target))
    this.headers = new NodeHeaders(req.headers)
    this.#req = req
  }

  get body(): ReadableStream<Uint8Array> | null {
    // Streamed only when core asks (its own POST endpoints).
    if (this.#body === undefined) this.#body = requestBody(this.#req)
    return this.#body
  }
}

/** `headers.get` over Node's header object (names already lower-case there). */
class NodeHeaders {
  readonly #headers: IncomingHttpHeaders
  constructor(headers: IncomingHttpHeaders) {
    this.#headers = headers
  }
  get(name: string): string | null {
    const value = this.#headers[name.toLowerCase()]
    if (value === undefined) return null
    return Array.isArray(value) ? value.join(', ') : value
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
