import { signMac, verifyingKey } from '../checksum/mac.js'
import type { Keyring } from '../keys/keyring.js'
import { isSessionId, SESSION_ID_LENGTH } from './ids.js'

/**
 * Session cookie values: `<session id>.<MAC over the id>`, 102 characters.
 * The MAC (purpose `cookie`) means a forged or garbage cookie is refused
 * without a store call, and only an id the engine minted can reach a store key.
 */

const SEPARATOR = '.'
export const COOKIE_VALUE_LENGTH = SESSION_ID_LENGTH + 1 + 52

export async function signCookieValue(keyring: Keyring, sessionId: string): Promise<string> {
  return sessionId + SEPARATOR + (await signMac(keyring, 'cookie', sessionId))
}

/**
 * Remembers cookie values whose MAC already verified, so the crypto (30-40 µs
 * on Node) is paid once per cookie, not per request. Bounded; the oldest
 * entry leaves first. It only caches MAC validity: whether the session is
 * alive is still asked of the store on every request.
 */
export class VerifiedCookieCache {
  /** Keyed by session id, the shorter string to hash on every request; the value is the cookie. */
  readonly #entries = new Map<string, string>()
  readonly #capacity: number

  constructor(capacity: number) {
    this.#capacity = capacity
  }

  /** The session id of a cookie value verified before (an exact match), else undefined. */
  get(value: string): string | undefined {
    if (value.length !== COOKIE_VALUE_LENGTH) return undefined
    const sessionId = value.slice(0, SESSION_ID_LENGTH)
    return this.#entries.get(sessionId) === value ? sessionId : undefined
  }

  add(value: string, sessionId: string): void {
    if (this.#capacity === 0) return
    if (this.#entries.size >= this.#capacity && !this.#entries.has(sessionId)) {
      const oldest = this.#entries.keys().next().value
      if (oldest !== undefined) this.#entries.delete(oldest)
    }
    this.#entries.set(sessionId, value)
  }
}

/**
 * The session id in a cookie value and whether its MAC is by an older key
 * of the keyring (`stale`: re-sign it, so the cookie survives the old key's
 * removal). Only values signed by the current key are cached.
 */
export async function verifyCookieValue(
  keyring: Keyring,
  value: string,
  cache?: VerifiedCookieCache,
): Promise<{ sessionId: string; stale: boolean } | null> {
  if (value.length !== COOKIE_VALUE_LENGTH || value[SESSION_ID_LENGTH] !== SEPARATOR) return null
  const sessionId = value.slice(0, SESSION_ID_LENGTH)
  if (!isSessionId(sessionId)) return null
  const key = await verifyingKey(keyring, 'cookie', sessionId, value.slice(SESSION_ID_LENGTH + 1))
  if (key === null) return null
  const stale = key !== keyring.current
  if (!stale) cache?.add(value, sessionId)
  return { sessionId, stale }
}
