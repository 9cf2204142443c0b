import { ShareError, type ShareErrorCode } from '../errors.js'

/** The longest callback URL accepted, in characters (and in UTF-8 bytes once encoded). */
export const MAX_CALLBACK_LENGTH = 2048

/** C0 controls, space, DEL, backslash: the WHATWG parser strips or rewrites these. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNSAFE_CHARACTERS = /[\u0000-\u0020\u007f\\]/
const HTTP_PREFIX = /^https?:\/\//i
/** Printable ASCII without `@` (credentials) or `%` (encoded host): browsers send hosts as punycode. */
const SAFE_AUTHORITY = /^[\x21-\x24\x26-\x3f\x41-\x7e]+$/

export type CallbackCheck =
  | { ok: true; url: URL }
  /** `detail` is for logs (it may quote the refused origin), never for the page. */
  | { ok: false; code: ShareErrorCode; detail?: string }

/**
 * Parses a callback URL with the WHATWG parser after refusing every raw
 * spelling the parser would silently repair: whitespace and controls it
 * strips, backslashes it turns into slashes, a missing or one-slash scheme,
 * credentials, and a percent-encoded or non-ASCII authority. What passes is an absolute
 * http(s) URL whose serialization the caller then redirects to.
 */
export function parseCallbackUrl(raw: unknown): CallbackCheck {
  if (typeof raw !== 'string') return fail('ERR_CALLBACK_INVALID')
  if (raw.length > MAX_CALLBACK_LENGTH) return fail('ERR_CALLBACK_TOO_LONG')
  if (UNSAFE_CHARACTERS.test(raw) || !HTTP_PREFIX.test(raw)) return fail('ERR_CALLBACK_INVALID')
  const authority = raw.slice(raw.indexOf('//') + 2).split(/[/?#]/, 1)[0] ?? ''
  if (authority === '' || !SAFE_AUTHORITY.test(authority)) {
    return fail('ERR_CALLBACK_INVALID')
  }
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return fail('ERR_CALLBACK_INVALID')
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return fail('ERR_CALLBACK_INVALID')
  if (url.username !== '' || url.password !== '') return fail('ERR_CALLBACK_INVALID')
  if (url.href.length > MAX_CALLBACK_LENGTH) return fail('ERR_CALLBACK_TOO_LONG')
  return { ok: true, url }
}

/** Like {@link parseCallbackUrl}, throwing the {@link ShareError} instead. */
export function parseCallbackUrlOrThrow(raw: unknown): URL {
  const result = parseCallbackUrl(raw)
  if (!result.ok) throw new ShareError(result.code)
  return result.url
}

function fail(code: ShareErrorCode): CallbackCheck {
  return { ok: false, code }
}
