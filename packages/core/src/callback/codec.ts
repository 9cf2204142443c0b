import { decodeBase64url, encodeBase64url, encodedLength } from '../encoding/base64url.js'
import { fromUtf8, utf8 } from '../encoding/bytes.js'
import { ShareError } from '../errors.js'
import { MAX_CALLBACK_LENGTH, parseCallbackUrlOrThrow } from './parse.js'

const MAX_ENCODED_LENGTH = encodedLength(MAX_CALLBACK_LENGTH)

/**
 * The `callback` query value for a URL: base64url of its UTF-8 text.
 * Throws `ERR_CALLBACK_TOO_LONG` past 2048 bytes.
 *
 * Exported from `@share/core`.
 *
 * @example
 * ```ts
 * import { encodeCallback } from '@share/core'
 * const login = `https://idp.example.com/share?callback=${encodeCallback('https://app.example.com/share/callback')}`
 * ```
 */
export function encodeCallback(url: string | URL): string {
  const text = url instanceof URL ? url.href : url
  if (typeof text !== 'string') {
    throw new ShareError('ERR_ARGUMENT_INVALID', { detail: 'encodeCallback needs a string or URL' })
  }
  const bytes = utf8(text)
  if (bytes.length > MAX_CALLBACK_LENGTH) throw new ShareError('ERR_CALLBACK_TOO_LONG')
  return encodeBase64url(bytes)
}

/**
 * The URL inside a `callback` value, decoded strictly (canonical base64url,
 * valid UTF-8) and parsed as an absolute http(s) URL without credentials.
 * Whether its origin is allowed is the allow-list's decision.
 *
 * Exported from `@share/core`.
 */
export function decodeCallback(value: string): URL {
  if (typeof value !== 'string' || value.length === 0)
    throw new ShareError('ERR_CALLBACK_MALFORMED')
  if (value.length > MAX_ENCODED_LENGTH) throw new ShareError('ERR_CALLBACK_TOO_LONG')
  const bytes = decodeBase64url(value)
  const text = bytes === null ? null : fromUtf8(bytes)
  if (text === null) throw new ShareError('ERR_CALLBACK_MALFORMED')
  return parseCallbackUrlOrThrow(text)
}
