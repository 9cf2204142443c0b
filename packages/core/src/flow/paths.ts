/** Paths and URLs of requests, read without building URL objects on the hot path. */

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

/**
 * A path on this app to send the browser to: must start with one `/` (not
 * `//` or `/\`, which browsers read as another host), no control characters,
 * at most 2048 characters. Anything else becomes `fallback`. Characters
 * outside printable ASCII (a space, `Ā`, an emoji) are percent-encoded as
 * UTF-8, so the result is always a valid `Location` value: a header can hold
 * no character above U+00FF, and setting one would throw after the work is done.
 */
export function safeLocalPath(value: string | null | undefined, fallback = '/'): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048) return fallback
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return fallback
  if (!/[^\u0021-\u007e]/.test(value)) return value
  let encoded: string
  try {
    // Per code point; a lone surrogate cannot be UTF-8 and throws: not a path we send anyone to.
    encoded = value.replace(/[^\u0021-\u007e]/gu, (char) => encodeURIComponent(char))
  } catch {
    return fallback
  }
  return encoded.length > 2048 * 3 ? fallback : encoded
}

/** The path and query of a request URL (what a user wanted), never its origin. */
export function pathAndQuery(url: string): string {
  const { path, search } = splitUrl(url)
  return path + search
}
