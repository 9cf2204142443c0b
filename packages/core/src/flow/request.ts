import { ShareError } from '../errors.js'

/** What the handlers read from requests: the request shape, query parameters, forms, the Origin check. */

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

/**
 * Headers for the app's response, Set-Cookie lines as separate pairs. The
 * lists are shared between requests: read them, never change them (copy
 * first to add to one).
 */
export type HeaderList = readonly (readonly [name: string, value: string])[]

const MAX_FORM_BYTES = 8192

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

/** A checkbox-style form value: `1`, `true` or `on`. */
export function isChecked(value: string | null): boolean {
  return value === '1' || value === 'true' || value === 'on'
}
