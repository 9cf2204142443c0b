import { logRef } from '../checksum/mac.js'
import { decodeBase64url, encodeBase64url } from '../encoding/base64url.js'
import { constantTimeEqual } from '../encoding/bytes.js'
import { isShareError, ShareError } from '../errors.js'
import { assertKeyring, KEY_ID_BYTES, type Keyring } from '../keys/keyring.js'
import type { Claims } from './format.js'
import { MAX_LEEWAY_SEC, openToken } from './seal.js'

/** The codes a remote refuses a token with before the store is asked, in the order it checks. */
export type TokenRefusal =
  | 'ERR_TOKEN_MALFORMED'
  | 'ERR_TOKEN_UNKNOWN_KEY'
  | 'ERR_TOKEN_BAD_SEAL'
  | 'ERR_TOKEN_CLAIMS_INVALID'
  | 'ERR_TOKEN_EXPIRED'
  | 'ERR_TOKEN_NOT_YET_VALID'
  | 'ERR_TOKEN_AUDIENCE'
  | 'ERR_TOKEN_STATE'

export interface InspectTokenOptions {
  /** The origin of the remote the token should be for; not checked when absent. */
  audience?: string | undefined
  /** The remote's state cookie for this hand-off; not checked when absent. */
  state?: string | undefined
  /** The current time in epoch milliseconds. @default Date.now() */
  now?: number | undefined
  /**
   * Clock leeway in seconds, from 0 to 30. An inspection says what is, so none by default.
   * @default 0
   */
  leeway?: number | undefined
}

/** A check against an option: `unchecked` when the option was not given. */
export type InspectedMatch = 'match' | 'mismatch' | 'unchecked'

/** An opened token's claims for a person to read: no session id, no state in clear. */
export interface InspectedClaims {
  /** The origin the token was sealed for. */
  readonly audience: string
  readonly audienceCheck: InspectedMatch
  /** Whether the token carries a state (the remote's state cookie must then match it). */
  readonly hasState: boolean
  readonly stateCheck: InspectedMatch
  /** Epoch milliseconds. */
  readonly issuedAt: number
  readonly expiresAt: number
  /** A short keyed hash of the host session id: correlates, never reveals. */
  readonly sessionRef: string
}

/** What {@link inspectToken} found. */
export interface TokenInspection {
  /** The key id in the token's header (public); `null` when the token is malformed. */
  readonly keyId: string | null
  /** Where that key is in the keyring, from 1 (the sealing key); `null` when it is not there. */
  readonly keyPosition: number | null
  /** The token's keyed hash, the `ref` of its `token.*` audit log events. */
  readonly ref: string
  /** The claims once the seal opened; `null` when it did not. */
  readonly claims: InspectedClaims | null
  /** Why a remote would refuse it (the first failing check), or `null` when every check made passed. */
  readonly refusal: TokenRefusal | null
}

/**
 * Looks into a hand-off token with the keyring, for an operator debugging a
 * failed sign-in: which key opens it, whether its seal is intact, its
 * audience and times, and why a remote would refuse it. Unlike
 * {@link unsealSessionId} it opens the claims without the audience and state,
 * so only tools that hold the sync key can call it usefully; it never
 * returns the session id or state in clear. The replay guard and the host
 * session are the engine's (`engine.inspectToken`).
 *
 * Exported from `@share/core/token`.
 *
 * @example
 * ```ts
 * import { createKeyring, inspectToken } from '@share/core/token'
 * const found = await inspectToken(await createKeyring(process.env.SHARE_SYNC_KEY!.split(',')), token)
 * if (found.refusal !== null) console.log(found.refusal) // e.g. 'ERR_TOKEN_EXPIRED'
 * ```
 */
export async function inspectToken(
  keyring: Keyring,
  token: string,
  options: InspectTokenOptions = {},
): Promise<TokenInspection> {
  return (await openForInspection(keyring, token, options)).inspection
}

/** @internal The inspection and the claims it withholds, for the engine's store checks. */
export async function openForInspection(
  keyring: Keyring,
  token: string,
  options: InspectTokenOptions,
): Promise<{ inspection: TokenInspection; claims: Claims | null }> {
  assertKeyring(keyring)
  const { audience, state, now, leewayMs } = readOptions(options)
  const ref = await logRef(keyring, typeof token === 'string' ? token : '')
  let opened: Awaited<ReturnType<typeof openToken>>
  try {
    opened = await openToken(keyring, token)
  } catch (error) {
    if (!isShareError(error)) throw error
    const refusal = error.code as TokenRefusal
    const keyId = refusal === 'ERR_TOKEN_MALFORMED' ? null : headerKeyId(token)
    const keyPosition = keyId === null ? null : positionOf(keyring, keyId)
    const inspection = { keyId, keyPosition, ref, claims: null, refusal }
    return { inspection, claims: null }
  }
  const { key, claims } = opened
  const audienceCheck = compare(claims.audience, audience)
  const stateCheck: InspectedMatch =
    state === undefined
      ? 'unchecked'
      : claims.state === undefined
        ? 'mismatch'
        : compare(claims.state, state)
  const refusal: TokenRefusal | null =
    now >= claims.expiresAt + leewayMs
      ? 'ERR_TOKEN_EXPIRED'
      : claims.issuedAt > now + leewayMs
        ? 'ERR_TOKEN_NOT_YET_VALID'
        : audienceCheck === 'mismatch'
          ? 'ERR_TOKEN_AUDIENCE'
          : stateCheck === 'mismatch'
            ? 'ERR_TOKEN_STATE'
            : null
  const inspection: TokenInspection = {
    keyId: key.idText,
    keyPosition: positionOf(keyring, key.idText),
    ref,
    claims: {
      audience: claims.audience,
      audienceCheck,
      hasState: claims.state !== undefined,
      stateCheck,
      issuedAt: claims.issuedAt,
      expiresAt: claims.expiresAt,
      sessionRef: await logRef(keyring, claims.sessionId),
    },
    refusal,
  }
  return { inspection, claims }
}

function compare(actual: string, expected: string | undefined): InspectedMatch {
  if (expected === undefined) return 'unchecked'
  return constantTimeEqual(actual, expected) ? 'match' : 'mismatch'
}

function headerKeyId(token: string): string | null {
  const bytes = decodeBase64url(token)
  return bytes === null ? null : encodeBase64url(bytes.subarray(1, 1 + KEY_ID_BYTES))
}

function positionOf(keyring: Keyring, keyId: string): number | null {
  const at = keyring.keyIds.indexOf(keyId)
  return at < 0 ? null : at + 1
}

function readOptions(options: InspectTokenOptions) {
  const { audience, state, now = Date.now(), leeway = 0 } = options ?? {}
  for (const [name, value] of [
    ['audience', audience],
    ['state', state],
  ] as const) {
    if (value !== undefined && typeof value !== 'string') invalid(`${name} must be a string`)
  }
  if (typeof now !== 'number' || !Number.isFinite(now)) invalid('now must be epoch milliseconds')
  if (typeof leeway !== 'number' || !(leeway >= 0 && leeway <= MAX_LEEWAY_SEC)) {
    invalid(`leeway must be a number of seconds from 0 to ${MAX_LEEWAY_SEC}`)
  }
  return { audience, state, now, leewayMs: leeway * 1000 }
}

function invalid(detail: string): never {
  throw new ShareError('ERR_ARGUMENT_INVALID', { detail })
}
