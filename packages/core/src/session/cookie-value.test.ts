import { beforeAll, describe, expect, it } from 'vitest'
import { createRandomPool } from '../encoding/bytes.js'
import { createKeyring, type Keyring } from '../keys/keyring.js'
import { generateSyncKey } from '../keys/sync-key.js'
import {
  COOKIE_VALUE_LENGTH,
  signCookieValue,
  VerifiedCookieCache,
  verifyCookieValue,
} from './cookie.js'
import { createSessionId } from './ids.js'

/** Session cookie values: shape, MAC, the verified-value cache and key staleness. */

let keyring: Keyring
let older: Keyring
let rotated: Keyring
const keys = [generateSyncKey(), generateSyncKey()] as const
const random = createRandomPool()

beforeAll(async () => {
  keyring = await createKeyring(keys[0])
  older = await createKeyring(keys[1])
  rotated = await createKeyring([keys[0], keys[1]])
})

const newId = () => createSessionId('alice', random)

describe('VerifiedCookieCache', () => {
  /** A cookie-shaped value for this id (the cache checks only length and exact match). */
  const cookieFor = (id: string, mac = 'M') => `${id}.${mac.repeat(52)}`

  it('keeps at most its capacity, dropping the oldest entry first', () => {
    const cache = new VerifiedCookieCache(2)
    const [a, b, c] = [newId(), newId(), newId()]
    cache.add(cookieFor(a), a)
    cache.add(cookieFor(b), b)
    expect([cache.get(cookieFor(a)), cache.get(cookieFor(b))]).toEqual([a, b])
    cache.add(cookieFor(c), c)
    expect([cache.get(cookieFor(a)), cache.get(cookieFor(b)), cache.get(cookieFor(c))]).toEqual([
      undefined,
      b,
      c,
    ])
  })

  it('answers only the exact value it was given, not another one with the same id', () => {
    const cache = new VerifiedCookieCache(2)
    const [other, id] = [newId(), newId()]
    cache.add(cookieFor(other), other)
    cache.add(cookieFor(id), id)
    expect(cache.get(cookieFor(id, 'N'))).toBeUndefined()
    expect(cache.get(cookieFor(id).slice(0, -1))).toBeUndefined()
    expect(cache.get(`${cookieFor(id).slice(0, -1)}N`)).toBeUndefined()
    // Another value for the same id (signed by another key) takes its place, and evicts nothing
    // else, though the cache is full and `other` is the oldest entry.
    cache.add(cookieFor(id, 'N'), id)
    expect([
      cache.get(cookieFor(id, 'N')),
      cache.get(cookieFor(id)),
      cache.get(cookieFor(other)),
    ]).toEqual([id, undefined, other])
  })

  it('two ids that share a slot (their first random characters) never answer for each other', () => {
    const cache = new VerifiedCookieCache(3)
    // The same user tag and first four random characters: one slot, two sessions.
    const a = newId()
    const b = `${a.slice(0, 10)}${newId().slice(10)}`
    expect(b).not.toBe(a)
    cache.add(cookieFor(a), a)
    expect(cache.get(cookieFor(b))).toBeUndefined()
    cache.add(cookieFor(b), b)
    // The later one holds the slot; the other is verified again on its next request.
    expect([cache.get(cookieFor(a)), cache.get(cookieFor(b))]).toEqual([undefined, b])
    // An id differing only inside the slot's characters is another slot.
    const c = `${a.slice(0, 9)}${a[9] === 'A' ? 'B' : 'A'}${a.slice(10)}`
    cache.add(cookieFor(c), c)
    expect([cache.get(cookieFor(b)), cache.get(cookieFor(c))]).toEqual([b, c])
  })

  it('spreads the sessions of one user by their random characters, each of the four read', () => {
    const a = newId()
    for (let at = 6; at < 10; at++) {
      // One user's tag, and the random part changed in one character.
      const b = `${a.slice(0, at)}${a[at] === 'A' ? 'B' : 'A'}${a.slice(at + 1)}`
      const cache = new VerifiedCookieCache(2)
      cache.add(cookieFor(a), a)
      cache.add(cookieFor(b), b)
      expect([cache.get(cookieFor(a)), cache.get(cookieFor(b))], `character ${at}`).toEqual([a, b])
    }
  })

  it('does not move or duplicate an entry that is added again', () => {
    const cache = new VerifiedCookieCache(2)
    const [a, b, c] = [newId(), newId(), newId()]
    cache.add(cookieFor(a), a)
    cache.add(cookieFor(b), b)
    cache.add(cookieFor(a), a)
    // Still the oldest: the third cookie evicts it, not b.
    cache.add(cookieFor(c), c)
    expect([cache.get(cookieFor(a)), cache.get(cookieFor(b)), cache.get(cookieFor(c))]).toEqual([
      undefined,
      b,
      c,
    ])
  })

  it('holds nothing with capacity 0', () => {
    const cache = new VerifiedCookieCache(0)
    const id = newId()
    cache.add(cookieFor(id), id)
    expect(cache.get(cookieFor(id))).toBeUndefined()
  })
})

describe('reading a cookie value', () => {
  it('answers the session id of a value this keyring signed, and caches it', async () => {
    const id = newId()
    const value = await signCookieValue(keyring, id)
    expect(value).toHaveLength(COOKIE_VALUE_LENGTH)
    const cache = new VerifiedCookieCache(10)
    expect((await verifyCookieValue(keyring, value, cache))?.sessionId ?? null).toBe(id)
    expect(cache.get(value)).toBe(id)
    expect((await verifyCookieValue(keyring, value))?.sessionId ?? null).toBe(id)
  })

  it.each([
    ['not a string', 42],
    ['one character short', 'x'.repeat(COOKIE_VALUE_LENGTH - 1)],
    ['one character long', 'x'.repeat(COOKIE_VALUE_LENGTH + 1)],
  ])('refuses a value that is %s', async (_name, value) => {
    expect((await verifyCookieValue(keyring, value as string))?.sessionId ?? null).toBeNull()
  })

  it('refuses a value without the dot, with a bad id, or under another key', async () => {
    const id = newId()
    const value = await signCookieValue(keyring, id)
    const at = id.length
    expect(
      await verifyCookieValue(keyring, `${value.slice(0, at)}x${value.slice(at + 1)}`),
    ).toBeNull()
    expect(await verifyCookieValue(keyring, `${'*'.repeat(at)}${value.slice(at)}`)).toBeNull()
    expect(await verifyCookieValue(older, value)).toBeNull()
  })

  it('refuses a value with a character outside base64url in its MAC (the session reader no longer scans it first)', async () => {
    const value = await signCookieValue(keyring, newId())
    for (const bad of ['*', ' ', '=', '+', '/', 'é']) {
      const forged = `${value.slice(0, -1)}${bad}`
      expect(await verifyCookieValue(keyring, forged), JSON.stringify(bad)).toBeNull()
    }
  })

  it('marks a value signed by an older key of the keyring stale, and never caches it', async () => {
    const id = newId()
    const cache = new VerifiedCookieCache(10)
    const fresh = await signCookieValue(keyring, id)
    expect(await verifyCookieValue(rotated, fresh, cache)).toEqual({ sessionId: id, stale: false })
    expect(cache.get(fresh)).toBe(id)
    const old = await signCookieValue(older, id)
    expect(await verifyCookieValue(rotated, old, cache)).toEqual({ sessionId: id, stale: true })
    expect(cache.get(old)).toBeUndefined()
  })
})
