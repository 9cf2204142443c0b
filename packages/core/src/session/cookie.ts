import { signMac, verifyMac } from '../checksum/mac.js'
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
  readonly #entries = new Map<string, string>()
  readonly #capacity: number

  constructor(capacity: number) {
    this.#capacity = capacity
  }

  get(value: string): string | undefined {
    return this.#entries.get(value)
  }

  add(value: string, sessionId: string): void {
    if (this.#capacity === 0) return
    if (this.#entries.size >= this.#capacity) {
      const oldest = this.#entries.keys().next().value
      if (oldest !== undefined) this.#entries.delete(oldest)
    }
    this.#entries.set(value, sessionId)
  }
}

/**
 * The session id inside a cookie value, or `null` when the value is not one
 * this keyring signed. Checks the shape before any crypto.
 */
export async function readCookieValue(
  keyring: Keyring,
  value: unknown,
  cache?: VerifiedCookieCache,
): Promise<string | null> {
  if (typeof value !== 'string' || value.length !== COOKIE_VALUE_LENGTH) return null
  const cached = cache?.get(value)
  if (cached !== undefined) return cached
  if (value[SESSION_ID_LENGTH] !== SEPARATOR) return null
  const sessionId = value.slice(0, SESSION_ID_LENGTH)
  if (!isSessionId(sessionId)) return null
  const ok = await verifyMac(keyring, 'cookie', sessionId, value.slice(SESSION_ID_LENGTH + 1))
  if (!ok) return null
  cache?.add(value, sessionId)
  return sessionId
}
