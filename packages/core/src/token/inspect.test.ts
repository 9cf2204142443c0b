import { beforeAll, describe, expect, it } from 'vitest'
import { logRef } from '../checksum/mac.js'
import { encodeBase64url } from '../encoding/base64url.js'
import { isShareError } from '../errors.js'
import { createKeyring, type Keyring } from '../keys/keyring.js'
import { generateSyncKey } from '../keys/sync-key.js'
import { inspectToken } from './inspect.js'
import { sealSessionId } from './seal.js'

const AUDIENCE = 'https://app.example.com'
const NOW = Date.UTC(2026, 10, 23, 12, 0, 0)
const SESSION_ID = 'k7Qm2V9xYpL4nR8sT1uW3zA6bC0dE5fG7hJ9iK2lM4o'
const STATE = 'Zx81Qw0LmN3pR5tV7yB9dF'

let oldRing: Keyring
let newRing: Keyring
/** Newest first: the key that seals, then the one that only opens. */
let rotating: Keyring
let token: string

beforeAll(async () => {
  const [oldKey, newKey] = [generateSyncKey(), generateSyncKey()]
  oldRing = await createKeyring(oldKey)
  newRing = await createKeyring(newKey)
  rotating = await createKeyring([newKey, oldKey])
  token = await sealSessionId(
    oldRing,
    { sessionId: SESSION_ID, audience: AUDIENCE, state: STATE, ttl: 60 },
    { now: NOW },
  )
})

describe('inspectToken', () => {
  it('opens the claims without audience or state, naming the key and never the session id or state', async () => {
    const found = await inspectToken(rotating, token, { now: NOW + 1000 })
    expect(found).toEqual({
      keyId: oldRing.keyIds[0],
      keyPosition: 2,
      ref: await logRef(rotating, token),
      claims: {
        audience: AUDIENCE,
        audienceCheck: 'unchecked',
        hasState: true,
        stateCheck: 'unchecked',
        issuedAt: NOW,
        expiresAt: NOW + 60_000,
        sessionRef: await logRef(rotating, SESSION_ID),
      },
      refusal: null,
    })
    const text = JSON.stringify(found)
    expect(text).not.toContain(SESSION_ID)
    expect(text).not.toContain(STATE)
  })

  it('checks the audience and state it is given', async () => {
    const right = await inspectToken(oldRing, token, { now: NOW, audience: AUDIENCE, state: STATE })
    expect([right.claims?.audienceCheck, right.claims?.stateCheck, right.refusal]).toEqual([
      'match',
      'match',
      null,
    ])
    const wrongApp = await inspectToken(oldRing, token, { now: NOW, audience: 'https://b.example' })
    expect([wrongApp.claims?.audienceCheck, wrongApp.refusal]).toEqual([
      'mismatch',
      'ERR_TOKEN_AUDIENCE',
    ])
    const wrongState = await inspectToken(oldRing, token, { now: NOW, state: 'other' })
    expect([wrongState.claims?.stateCheck, wrongState.refusal]).toEqual([
      'mismatch',
      'ERR_TOKEN_STATE',
    ])
  })

  it('a state given for a token without one does not match', async () => {
    const stateless = await sealSessionId(
      oldRing,
      { sessionId: SESSION_ID, audience: AUDIENCE },
      { now: NOW },
    )
    const found = await inspectToken(oldRing, stateless, { now: NOW, state: STATE })
    expect([found.claims?.hasState, found.claims?.stateCheck, found.refusal]).toEqual([
      false,
      'mismatch',
      'ERR_TOKEN_STATE',
    ])
  })

  it('says expired at its expiry, and issued in the future before its issue time (no leeway)', async () => {
    expect((await inspectToken(oldRing, token, { now: NOW + 59_999 })).refusal).toBeNull()
    expect((await inspectToken(oldRing, token, { now: NOW + 60_000 })).refusal).toBe(
      'ERR_TOKEN_EXPIRED',
    )
    expect(
      (await inspectToken(oldRing, token, { now: NOW + 64_999, leeway: 5 })).refusal,
    ).toBeNull()
    expect((await inspectToken(oldRing, token, { now: NOW - 1 })).refusal).toBe(
      'ERR_TOKEN_NOT_YET_VALID',
    )
  })

  it('names the key id of a token whose key it does not hold, and opens nothing', async () => {
    const found = await inspectToken(newRing, token, { now: NOW })
    expect(found).toMatchObject({
      keyId: oldRing.keyIds[0],
      keyPosition: null,
      claims: null,
      refusal: 'ERR_TOKEN_UNKNOWN_KEY',
    })
  })

  it('tells a broken seal from a malformed token', async () => {
    const bytes = Uint8Array.from(atob(token.replace(/-/g, '+').replace(/_/g, '/')), (c) =>
      c.charCodeAt(0),
    )
    bytes[bytes.length - 1]! ^= 1
    const broken = await inspectToken(oldRing, encodeBase64url(bytes), { now: NOW })
    expect([broken.keyId, broken.keyPosition, broken.claims, broken.refusal]).toEqual([
      oldRing.keyIds[0],
      1,
      null,
      'ERR_TOKEN_BAD_SEAL',
    ])
    const malformed = await inspectToken(oldRing, 'not a token', { now: NOW })
    expect([malformed.keyId, malformed.claims, malformed.refusal]).toEqual([
      null,
      null,
      'ERR_TOKEN_MALFORMED',
    ])
  })

  it.each([
    ['a leeway past 30 s', { leeway: 31 }],
    ['a time that is not a number', { now: 'soon' }],
    ['an audience that is not a string', { audience: 42 }],
  ])('refuses %s', async (_name, options) => {
    const error = await inspectToken(oldRing, token, options as never).catch((e: unknown) => e)
    expect(isShareError(error) && error.code).toBe('ERR_ARGUMENT_INVALID')
  })
})

describe('inspectToken at its edges', () => {
  it.each([
    ['a negative leeway', { leeway: -1 }, 'leeway must be a number of seconds from 0 to 30'],
    ['a leeway given as text', { leeway: '5' }, 'leeway must be a number of seconds from 0 to 30'],
    ['a time that is not finite', { now: Number.NaN }, 'now must be epoch milliseconds'],
    ['a time given as text', { now: '1700000000000' }, 'now must be epoch milliseconds'],
    ['a state that is not a string', { state: 7 }, 'state must be a string'],
  ])('refuses %s, saying what to give', async (_name, options, detail) => {
    const error = await inspectToken(oldRing, token, options as never).catch((e: unknown) => e)
    expect(isShareError(error) && error.code).toBe('ERR_ARGUMENT_INVALID')
    expect(isShareError(error) && error.detail).toContain(detail)
  })

  it('takes the largest leeway, 30 s, and lets it cover a token issued up to 30 s ahead', async () => {
    const early = await inspectToken(oldRing, token, { now: NOW - 30_000, leeway: 30 })
    expect(early.refusal).toBeNull()
    const tooEarly = await inspectToken(oldRing, token, { now: NOW - 30_001, leeway: 30 })
    expect(tooEarly.refusal).toBe('ERR_TOKEN_NOT_YET_VALID')
  })

  it('names the key of a token that decodes but is not one of ours, and hashes any token', async () => {
    // Base64url that decodes, too short to be a token: malformed, with no key named.
    const short = await inspectToken(oldRing, 'AAAA', { now: NOW })
    expect([short.keyId, short.keyPosition, short.refusal]).toEqual([
      null,
      null,
      'ERR_TOKEN_MALFORMED',
    ])
    expect(short.ref).toBe(await logRef(oldRing, 'AAAA'))
    // Not a string at all: refused as malformed, and hashed as the empty token.
    const none = await inspectToken(oldRing, 42 as never, { now: NOW })
    expect(none.refusal).toBe('ERR_TOKEN_MALFORMED')
    expect(none.ref).toBe(await logRef(oldRing, ''))
  })
})
