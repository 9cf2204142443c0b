import { decodeBase64url, encodeBase64url, isBase64urlText } from '../encoding/base64url.js'
import { constantTimeEqual, type RandomSource } from '../encoding/bytes.js'
import { ShareError } from '../errors.js'
import { assertKeyring, findKey, type KeyEntry, type Keyring } from '../keys/keyring.js'
import {
  type Claims,
  DEFAULT_TOKEN_TTL_SEC,
  decodeClaims,
  encodeClaims,
  HEADER_BYTES,
  IV_BYTES,
  MAX_AUDIENCE_LENGTH,
  MAX_ID_LENGTH,
  MAX_TOKEN_LENGTH,
  MAX_TOKEN_TTL_SEC,
  MIN_TOKEN_LENGTH,
  TAG_BYTES,
  TOKEN_ID_BYTES,
  TOKEN_VERSION,
} from './format.js'

/** Default clock leeway when opening a token, in seconds. */
export const DEFAULT_LEEWAY_SEC = 5
/** The largest clock leeway accepted, in seconds. */
export const MAX_LEEWAY_SEC = 30

export interface SealInput {
  /** The host session reference: 1 to 128 base64url characters. */
  sessionId: string
  /** The origin of the remote the token is for, serialized (`https://app.example.com`). */
  audience: string
  /** The remote's state for this hand-off: 1 to 128 base64url characters. */
  state?: string | undefined
  /**
   * Lifetime in seconds, an integer from 1 to 600.
   * @default 60
   */
  ttl?: number | undefined
}

export interface SealOptions {
  /** The current time in epoch milliseconds. @default Date.now() */
  now?: number | undefined
}

export interface UnsealOptions {
  /** This app's own origin; the token must have been sealed for it. */
  audience: string
  /** The state this browser holds (from its state cookie); required when the token has one. */
  state?: string | undefined
  /** The current time in epoch milliseconds. @default Date.now() */
  now?: number | undefined
  /**
   * Clock leeway in seconds, from 0 to 30, applied to both expiry and issue time.
   * @default 5
   */
  leeway?: number | undefined
}

const AES_GCM_TAG_BITS = TAG_BYTES * 8

/**
 * Seals a session reference into a short, URL-safe, single-audience token
 * (AES-256-GCM with the keyring's newest key, fresh random IV).
 *
 * Exported from `@share/core/token`.
 *
 * @example
 * ```ts
 * import { createKeyring, generateSyncKey, sealSessionId } from '@share/core/token'
 * const keyring = await createKeyring(generateSyncKey())
 * const token = await sealSessionId(keyring, { sessionId, audience: 'https://app.example.com', state })
 * ```
 */
export function sealSessionId(
  keyring: Keyring,
  input: SealInput,
  options: SealOptions = {},
): Promise<string> {
  return sealWithRandomSource(keyring, input, options, keyring?.random)
}

/** @internal The sealer with its randomness injected: the known-answer tests' seam. */
export async function sealWithRandomSource(
  keyring: Keyring,
  input: SealInput,
  options: SealOptions,
  random: RandomSource,
): Promise<string> {
  assertKeyring(keyring)
  const { sessionId, audience, state } = input ?? {}
  const ttlSec = input?.ttl ?? DEFAULT_TOKEN_TTL_SEC
  const now = options?.now ?? Date.now()
  if (!isId(sessionId)) invalidArgument('sessionId must be 1 to 128 base64url characters')
  if (!keyring.audiences?.has(audience as string) && !isOrigin(audience)) {
    invalidArgument('audience must be a serialized http(s) origin such as https://app.example.com')
  }
  if (state !== undefined && !isId(state)) {
    invalidArgument('state must be 1 to 128 base64url characters')
  }
  if (!Number.isInteger(ttlSec) || ttlSec < 1 || ttlSec > MAX_TOKEN_TTL_SEC) {
    invalidArgument(`ttl must be a whole number of seconds from 1 to ${MAX_TOKEN_TTL_SEC}`)
  }
  if (!Number.isSafeInteger(Math.floor(now)) || now < 0 || now >= 2 ** 48) {
    invalidArgument('now must be epoch milliseconds')
  }
  // Remembered per keyring, bounded: the same few remotes are sealed for again and again.
  if (keyring.audiences && keyring.audiences.size < 256) keyring.audiences.add(audience)
  const key = keyring.current
  const randomness = random(IV_BYTES + TOKEN_ID_BYTES)
  const iv = randomness.subarray(0, IV_BYTES)
  const plaintext = encodeClaims({
    issuedAt: Math.floor(now),
    ttlSec,
    tokenId: randomness.subarray(IV_BYTES),
    sessionId,
    audience,
    state,
  })
  const token = new Uint8Array(HEADER_BYTES + IV_BYTES + plaintext.length + TAG_BYTES)
  token[0] = TOKEN_VERSION
  token.set(key.id, 1)
  token.set(iv, HEADER_BYTES)
  const sealed = await crypto.subtle.encrypt(
    {
      name: 'AES-GCM',
      iv,
      additionalData: token.subarray(0, HEADER_BYTES),
      tagLength: AES_GCM_TAG_BITS,
    },
    key.encryptionKey,
    plaintext,
  )
  token.set(new Uint8Array(sealed), HEADER_BYTES + IV_BYTES)
  return encodeBase64url(token)
}

/**
 * Opens a token and checks it for this app: known key, intact seal, not
 * expired (within `leeway`), this audience, this state. Throws a
 * {@link ShareError} with a code saying which check failed; never returns
 * partial claims.
 *
 * Exported from `@share/core/token`.
 *
 * @example
 * ```ts
 * import { unsealSessionId } from '@share/core/token'
 * const claims = await unsealSessionId(keyring, token, { audience: 'https://app.example.com', state })
 * ```
 */
export async function unsealSessionId(
  keyring: Keyring,
  token: string,
  options: UnsealOptions,
): Promise<Claims> {
  assertKeyring(keyring)
  const { audience, state, now, leewayMs } = readUnsealOptions(options)
  const { claims } = await openToken(keyring, token)
  if (now >= claims.expiresAt + leewayMs) {
    const late = Math.round((now - claims.expiresAt) / 1000)
    throw new ShareError('ERR_TOKEN_EXPIRED', {
      detail: `it expired ${late}s ago, past the ${leewayMs / 1000}s leeway (tokenLeewaySec): a slow redirect, or this app's clock is behind the host's`,
    })
  }
  if (claims.issuedAt > now + leewayMs) {
    const early = Math.round((claims.issuedAt - now) / 1000)
    throw new ShareError('ERR_TOKEN_NOT_YET_VALID', {
      detail: `it was issued ${early}s in this app's future, past the ${leewayMs / 1000}s leeway (tokenLeewaySec): the clocks of host and app differ`,
    })
  }
  if (!constantTimeEqual(claims.audience, audience)) throw new ShareError('ERR_TOKEN_AUDIENCE')
  if (claims.state !== undefined || state !== undefined) {
    if (
      claims.state === undefined ||
      state === undefined ||
      !constantTimeEqual(claims.state, state)
    ) {
      throw new ShareError('ERR_TOKEN_STATE')
    }
  }
  return claims
}

/**
 * @internal The first half of unsealing, shared with token inspection: the
 * length, the layout, a known key id, the seal and the claims' form, each
 * failure with its own code. No time, audience or state check.
 */
export async function openToken(
  keyring: Keyring,
  token: unknown,
): Promise<{ key: KeyEntry; claims: Claims }> {
  // Measure before any decoding or crypto, so a huge input costs nothing.
  if (
    typeof token !== 'string' ||
    token.length < MIN_TOKEN_LENGTH ||
    token.length > MAX_TOKEN_LENGTH
  ) {
    throw new ShareError('ERR_TOKEN_MALFORMED')
  }
  const bytes = decodeBase64url(token)
  if (bytes === null || bytes[0] !== TOKEN_VERSION) throw new ShareError('ERR_TOKEN_MALFORMED')
  const key = findKey(keyring, bytes, 1)
  if (key === undefined) {
    throw new ShareError('ERR_TOKEN_UNKNOWN_KEY', {
      detail: `the token's key id ${encodeBase64url(bytes.subarray(1, 7))} is not in this keyring (${keyring.keyIds.join(', ')}): the host and this app have different SHARE_SYNC_KEY`,
    })
  }
  let plaintext: ArrayBuffer
  try {
    plaintext = await crypto.subtle.decrypt(
      {
        name: 'AES-GCM',
        iv: bytes.subarray(HEADER_BYTES, HEADER_BYTES + IV_BYTES),
        additionalData: bytes.subarray(0, HEADER_BYTES),
        tagLength: AES_GCM_TAG_BITS,
      },
      key.encryptionKey,
      bytes.subarray(HEADER_BYTES + IV_BYTES),
    )
  } catch {
    throw new ShareError('ERR_TOKEN_BAD_SEAL')
  }
  const claims = decodeClaims(new Uint8Array(plaintext))
  if (claims === null) throw new ShareError('ERR_TOKEN_CLAIMS_INVALID')
  return { key, claims }
}

function readUnsealOptions(options: UnsealOptions) {
  const { audience, state, now = Date.now(), leeway = DEFAULT_LEEWAY_SEC } = options ?? {}
  if (typeof audience !== 'string' || audience.length === 0) {
    invalidArgument("unseal needs this app's origin as `audience`")
  }
  if (state !== undefined && typeof state !== 'string') invalidArgument('state must be a string')
  if (typeof now !== 'number' || !Number.isFinite(now))
    invalidArgument('now must be epoch milliseconds')
  if (typeof leeway !== 'number' || !(leeway >= 0 && leeway <= MAX_LEEWAY_SEC)) {
    invalidArgument(`leeway must be a number of seconds from 0 to ${MAX_LEEWAY_SEC}`)
  }
  return { audience, state, now, leewayMs: leeway * 1000 }
}

function isId(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length >= 1 &&
    value.length <= MAX_ID_LENGTH &&
    isBase64urlText(value)
  )
}

/** True for a string that is exactly the WHATWG serialization of an http(s) origin. */
export function isOrigin(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > MAX_AUDIENCE_LENGTH) return false
  if (!value.startsWith('https://') && !value.startsWith('http://')) return false
  try {
    return new URL(value).origin === value
  } catch {
    return false
  }
}

function invalidArgument(detail: string): never {
  throw new ShareError('ERR_ARGUMENT_INVALID', { detail })
}
