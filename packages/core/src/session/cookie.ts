import { signMac, verifyingKey } from '../checksum/mac.js'
import type { Keyring } from '../keys/keyring.js'
import { isSessionId, SESSION_ID_LENGTH, USER_TAG_LENGTH } from './ids.js'

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
  /**
   * Keyed by {@link slotOf} the value. Values and ids are strings of their
   * own, not slices of the Cookie header they came in: an entry keeps no
   * header alive, and V8 compares the id with the store's keys without a
   * call into its runtime.
   */
  readonly #entries = new Map<number, { readonly value: string; readonly sessionId: string }>()
  readonly #capacity: number

  constructor(capacity: number) {
    this.#capacity = capacity
  }

  /** The session id of a cookie value verified before (an exact match), else undefined. */
  get(value: string): string | undefined {
    const entry = this.#entries.get(slotOf(value))
    return entry !== undefined && entry.value === value ? entry.sessionId : undefined
  }

  /** Two cookies of one slot (odds about 1 in 16 million a pair): the later one takes it. */
  add(value: string, sessionId: string): void {
    if (this.#capacity === 0) return
    const slot = slotOf(value)
    if (this.#entries.get(slot)?.value === value) return
    this.#entries.delete(slot)
    if (this.#entries.size >= this.#capacity) {
      const oldest = this.#entries.keys().next().value
      if (oldest !== undefined) this.#entries.delete(oldest)
    }
    this.#entries.set(slot, { value: ownCopy(value), sessionId: ownCopy(sessionId) })
  }
}

/**
 * Where the cache keeps a cookie value: 28 bits read off the first four
 * random characters of its session id. They are already uniform, so they
 * serve as the hash; V8's own string hash costs about 12 instructions a
 * character, paid on every request (the value is a new slice of the header).
 * Not a check: `get` compares the whole value.
 */
function slotOf(value: string): number {
  const at = USER_TAG_LENGTH
  return (
    value.charCodeAt(at) |
    (value.charCodeAt(at + 1) << 7) |
    (value.charCodeAt(at + 2) << 14) |
    (value.charCodeAt(at + 3) << 21)
  )
}

/** The same text in a string of its own (a slice would point into the request's header). */
function ownCopy(text: string): string {
  return structuredClone(text)
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
