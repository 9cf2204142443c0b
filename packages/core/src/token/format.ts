/**
 * The v1 token layout, byte by byte. The whole token is one canonical
 * base64url string (alphabet `A-Z a-z 0-9 - _`, no padding):
 *
 * ```
 * token      = base64url( header | iv | ciphertext | tag )
 * header     = version (1 byte, 0x01) | keyId (6 bytes)      -- AES-GCM additional data
 * iv         = 12 random bytes, fresh for every seal
 * tag        = 16 bytes (128-bit GCM tag)
 * ciphertext = AES-256-GCM( plaintext )
 * plaintext  = issuedAt  (6 bytes, unsigned big-endian, epoch milliseconds)
 *            | ttl       (2 bytes, unsigned big-endian, seconds, 1..600)
 *            | tokenId   (16 random bytes)
 *            | sessionId (1 length byte, 1..128 base64url characters)
 *            | audience  (1 length byte, 1..255 ASCII characters: a serialized origin)
 *            | state     (1 length byte, 0 when absent, else 1..128 base64url characters)
 * ```
 *
 * Binary rather than JSON: about 40% shorter, and nothing in it can be
 * parsed into an object, so there is no prototype to pollute.
 */

import { encodeBase64url, isBase64urlText } from '../encoding/base64url.js'
import type { Bytes } from '../encoding/bytes.js'

export const TOKEN_VERSION = 1
export const HEADER_BYTES = 7
export const IV_BYTES = 12
export const TAG_BYTES = 16
export const TOKEN_ID_BYTES = 16

/** The longest lifetime a token may be sealed with, in seconds (10 minutes). */
export const MAX_TOKEN_TTL_SEC = 600
/** Default token lifetime in seconds. */
export const DEFAULT_TOKEN_TTL_SEC = 60
export const MAX_ID_LENGTH = 128
export const MAX_AUDIENCE_LENGTH = 255

const FIXED_PLAINTEXT_BYTES = 6 + 2 + TOKEN_ID_BYTES + 3
const MIN_PLAINTEXT_BYTES = FIXED_PLAINTEXT_BYTES + 2 // a 1-char session id and audience
const MAX_PLAINTEXT_BYTES = FIXED_PLAINTEXT_BYTES + 2 * MAX_ID_LENGTH + MAX_AUDIENCE_LENGTH
const OVERHEAD_BYTES = HEADER_BYTES + IV_BYTES + TAG_BYTES

/** Shortest and longest token text; checked before any decoding or crypto. */
export const MIN_TOKEN_LENGTH = Math.ceil(((OVERHEAD_BYTES + MIN_PLAINTEXT_BYTES) * 4) / 3)
export const MAX_TOKEN_LENGTH = Math.ceil(((OVERHEAD_BYTES + MAX_PLAINTEXT_BYTES) * 4) / 3)

/** What a token says once opened. Times are epoch milliseconds. */
export interface Claims {
  readonly sessionId: string
  /** The origin of the app the token was minted for. */
  readonly audience: string
  readonly state?: string
  /** Unique per token (16 random bytes, base64url): the replay guard's key. */
  readonly tokenId: string
  readonly issuedAt: number
  readonly expiresAt: number
}

export interface PlainClaims {
  issuedAt: number
  ttlSec: number
  tokenId: Bytes
  sessionId: string
  audience: string
  state: string | undefined
}

/** Serializes claims that the caller has already validated. */
export function encodeClaims(claims: PlainClaims): Bytes {
  const state = claims.state ?? ''
  const out = new Uint8Array(
    FIXED_PLAINTEXT_BYTES + claims.sessionId.length + claims.audience.length + state.length,
  )
  // 48-bit integer: split into 16 high and 32 low bits (bit operators are 32-bit).
  const high = Math.floor(claims.issuedAt / 2 ** 32)
  const low = claims.issuedAt >>> 0
  out[0] = high >>> 8
  out[1] = high & 255
  out[2] = low >>> 24
  out[3] = (low >>> 16) & 255
  out[4] = (low >>> 8) & 255
  out[5] = low & 255
  out[6] = claims.ttlSec >>> 8
  out[7] = claims.ttlSec & 255
  out.set(claims.tokenId, 8)
  let offset = 8 + TOKEN_ID_BYTES
  for (const text of [claims.sessionId, claims.audience, state]) {
    out[offset++] = text.length
    for (let i = 0; i < text.length; i++) out[offset++] = text.charCodeAt(i)
  }
  return out
}

/** Parses and range-checks opened plaintext; `null` for any deviation. */
export function decodeClaims(bytes: Uint8Array): Claims | null {
  if (bytes.length < MIN_PLAINTEXT_BYTES || bytes.length > MAX_PLAINTEXT_BYTES) return null
  const issuedAt = (bytes[0]! * 256 + bytes[1]!) * 2 ** 32 + readUint32(bytes, 2)
  const ttlSec = bytes[6]! * 256 + bytes[7]!
  if (ttlSec < 1 || ttlSec > MAX_TOKEN_TTL_SEC) return null
  const tokenId = encodeBase64url(bytes.subarray(8, 8 + TOKEN_ID_BYTES))
  const reader = { bytes, offset: 8 + TOKEN_ID_BYTES }
  const sessionId = readAscii(reader, MAX_ID_LENGTH)
  const audience = readAscii(reader, MAX_AUDIENCE_LENGTH)
  const state = readAscii(reader, MAX_ID_LENGTH)
  if (sessionId === null || audience === null || state === null) return null
  if (reader.offset !== bytes.length) return null
  if (!sessionId || !audience || !isBase64urlText(sessionId) || !isBase64urlText(state)) return null
  const claims = { sessionId, audience, tokenId, issuedAt, expiresAt: issuedAt + ttlSec * 1000 }
  return state ? { ...claims, state } : claims
}

function readUint32(bytes: Uint8Array, at: number): number {
  return (
    ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0
  )
}

/** A length-prefixed printable-ASCII string, or `null` when it is out of range. */
function readAscii(reader: { bytes: Uint8Array; offset: number }, max: number): string | null {
  const length = reader.bytes[reader.offset++]
  if (length === undefined || length > max) return null
  const end = reader.offset + length
  if (end > reader.bytes.length) return null
  const view = reader.bytes.subarray(reader.offset, end)
  for (const code of view) if (code < 0x21 || code > 0x7e) return null
  reader.offset = end
  // apply, not spread: spreading a typed array walks its iterator, several times slower.
  return String.fromCharCode.apply(null, view as unknown as number[])
}
