import fc from 'fast-check'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { encodeBase64url } from '../encoding/base64url.js'
import { isShareError, type ShareErrorCode } from '../errors.js'
import { createKeyring, type Keyring } from '../keys/keyring.js'
import { generateSyncKey } from '../keys/sync-key.js'
import { MAX_TOKEN_LENGTH } from './format.js'
import { sealSessionId, sealWithRandomSource, type UnsealOptions, unsealSessionId } from './seal.js'

const AUDIENCE = 'https://app.example.com'
const NOW = Date.UTC(2026, 10, 23, 12, 0, 0)
const SESSION_ID = 'k7Qm2V9xYpL4nR8sT1uW3zA6bC0dE5fG7hJ9iK2lM4o' // 43 characters
const STATE = 'Zx81Qw0LmN3pR5tV7yB9dF'

let keyring: Keyring
let other: Keyring
let keyA: string
let keyB: string

beforeAll(async () => {
  keyA = generateSyncKey()
  keyB = generateSyncKey()
  keyring = await createKeyring(keyA)
  other = await createKeyring(keyB)
})

const seal = (
  input: Partial<Parameters<typeof sealSessionId>[1]> = {},
  now = NOW,
  ring = keyring,
) =>
  sealSessionId(
    ring,
    { sessionId: SESSION_ID, audience: AUDIENCE, state: STATE, ...input },
    { now },
  )

const open = (token: string, options: Partial<UnsealOptions> = {}, ring = keyring) =>
  unsealSessionId(ring, token, { audience: AUDIENCE, state: STATE, now: NOW, ...options })

async function codeOf(promise: Promise<unknown>): Promise<ShareErrorCode> {
  try {
    await promise
  } catch (error) {
    if (isShareError(error)) return error.code
    throw error
  }
  throw new Error('expected a ShareError, but the call succeeded')
}

describe('seal and unseal', () => {
  it('round-trips the claims', async () => {
    const claims = await open(await seal())
    expect(claims).toEqual({
      sessionId: SESSION_ID,
      audience: AUDIENCE,
      state: STATE,
      tokenId: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
      issuedAt: NOW,
      expiresAt: NOW + 60_000,
    })
  })

  it('round-trips without a state, and the claims then have no state key', async () => {
    const token = await seal({ state: undefined })
    const claims = await open(token, { state: undefined })
    expect('state' in claims).toBe(false)
  })

  it('is URL-safe and well under 300 characters for a 43-character session id', async () => {
    const token = await seal()
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/)
    expect(token.length).toBeLessThan(240)
  })

  it('uses a fresh IV and token id each time', async () => {
    const tokens = await Promise.all(Array.from({ length: 50 }, () => seal()))
    expect(new Set(tokens).size).toBe(50)
    const ids = await Promise.all(tokens.map(async (t) => (await open(t)).tokenId))
    expect(new Set(ids).size).toBe(50)
  })

  it('round-trips any valid claims', async () => {
    const id = fc.string({
      unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'),
      minLength: 1,
      maxLength: 128,
    })
    await fc.assert(
      fc.asyncProperty(
        id,
        fc.option(id, { nil: undefined }),
        fc.integer({ min: 1, max: 600 }),
        async (sessionId, state, ttl) => {
          const token = await seal({ sessionId, state, ttl })
          expect(token.length).toBeLessThanOrEqual(MAX_TOKEN_LENGTH)
          const claims = await open(token, { state })
          expect(claims.sessionId).toBe(sessionId)
          expect(claims.state).toBe(state)
          expect(claims.expiresAt - claims.issuedAt).toBe(ttl * 1000)
        },
      ),
      { numRuns: 100 },
    )
  })
})

describe('tampering', () => {
  it('rejects every single-character change', async () => {
    const token = await seal()
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
    const codes = new Set<ShareErrorCode>()
    for (let i = 0; i < token.length; i++) {
      // Two substitutions per position: the neighbouring letter, and one far away.
      for (const shift of [1, 32]) {
        const replacement = alphabet[(alphabet.indexOf(token[i]!) + shift) % 64]!
        const changed = token.slice(0, i) + replacement + token.slice(i + 1)
        codes.add(await codeOf(open(changed)))
      }
    }
    expect([...codes].sort()).toEqual(
      ['ERR_TOKEN_BAD_SEAL', 'ERR_TOKEN_MALFORMED', 'ERR_TOKEN_UNKNOWN_KEY'].sort(),
    )
  })

  it('rejects every truncation and every extension', async () => {
    const token = await seal()
    for (let length = 0; length < token.length; length++) {
      expect(await codeOf(open(token.slice(0, length)))).toMatch(/^ERR_TOKEN_(MALFORMED|BAD_SEAL)$/)
    }
    for (const extra of ['A', 'AA', 'AAA', 'AAAA']) {
      expect(await codeOf(open(token + extra))).toMatch(/^ERR_TOKEN_(MALFORMED|BAD_SEAL)$/)
    }
  })

  it('rejects a token whose version byte changed', async () => {
    const bytes = Uint8Array.from(atob((await seal()).replace(/-/g, '+').replace(/_/g, '/')), (c) =>
      c.charCodeAt(0),
    )
    bytes[0] = 2
    expect(await codeOf(open(encodeBase64url(bytes)))).toBe('ERR_TOKEN_MALFORMED')
  })

  it('rejects a 1 MiB token before any decoding or crypto', async () => {
    const decrypt = vi.spyOn(crypto.subtle, 'decrypt')
    const huge = 'A'.repeat(1024 * 1024)
    expect(await codeOf(open(huge))).toBe('ERR_TOKEN_MALFORMED')
    expect(decrypt).not.toHaveBeenCalled()
  })

  it.each([
    ['padding', (t: string) => `${t}=`],
    ['standard base64 characters', (t: string) => t.replace(/[-_]/g, '+')],
    ['whitespace', (t: string) => ` ${t}`],
    [
      'a non-canonical last character',
      (t: string) => `${t.slice(0, -1)}${String.fromCharCode(t.charCodeAt(t.length - 1) + 1)}`,
    ],
  ])(
    'rejects %s as malformed or a bad seal, never decrypting garbage as valid',
    async (_n, change) => {
      const token = await seal()
      expect(await codeOf(open(change(token)))).toMatch(/^ERR_TOKEN_(MALFORMED|BAD_SEAL)$/)
    },
  )

  it('never throws anything but a ShareError on arbitrary input', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 400 }), fc.anything()), async (input) => {
        expect(await codeOf(open(input as string))).toMatch(/^ERR_TOKEN_/)
      }),
      { numRuns: 500 },
    )
  })
})

describe('keys', () => {
  it('rejects a token sealed with a key the keyring does not hold', async () => {
    expect(await codeOf(open(await seal({}, NOW, other)))).toBe('ERR_TOKEN_UNKNOWN_KEY')
  })

  it('opens tokens of any listed key and seals with the first (rotation)', async () => {
    const rotated = await createKeyring([keyB, keyA])
    const oldToken = await seal({}, NOW, keyring)
    expect((await open(oldToken, {}, rotated)).sessionId).toBe(SESSION_ID)
    const newToken = await seal({}, NOW, rotated)
    expect((await open(newToken, {}, other)).sessionId).toBe(SESSION_ID)
    expect(await codeOf(open(newToken, {}, keyring))).toBe('ERR_TOKEN_UNKNOWN_KEY')
  })
})

describe('time', () => {
  it('is valid until expiry plus leeway, and expired from then on', async () => {
    const token = await seal({ ttl: 60 })
    const expiry = NOW + 60_000
    await expect(open(token, { now: expiry + 4_999 })).resolves.toBeTruthy()
    expect(await codeOf(open(token, { now: expiry + 5_000 }))).toBe('ERR_TOKEN_EXPIRED')
    await expect(open(token, { now: expiry - 1, leeway: 0 })).resolves.toBeTruthy()
    expect(await codeOf(open(token, { now: expiry, leeway: 0 }))).toBe('ERR_TOKEN_EXPIRED')
  })

  it('rejects a token issued further in the future than the leeway', async () => {
    const token = await seal({}, NOW + 5_001)
    expect(await codeOf(open(token))).toBe('ERR_TOKEN_NOT_YET_VALID')
    await expect(open(await seal({}, NOW + 5_000))).resolves.toBeTruthy()
  })

  it('defaults to a 60-second lifetime', async () => {
    const claims = await open(await seal({ ttl: undefined }))
    expect(claims.expiresAt - claims.issuedAt).toBe(60_000)
  })

  it.each([0, -1, 601, 1.5, Number.NaN, Number.POSITIVE_INFINITY])(
    'refuses to seal with ttl %s',
    async (ttl) => {
      expect(await codeOf(seal({ ttl }))).toBe('ERR_ARGUMENT_INVALID')
    },
  )

  it.each([-1, 31, Number.NaN])('refuses leeway %s', async (leeway) => {
    expect(await codeOf(open(await seal(), { leeway }))).toBe('ERR_ARGUMENT_INVALID')
  })
})

describe('audience and state', () => {
  it('rejects a token for another origin', async () => {
    const token = await seal({ audience: 'https://other.example.com' })
    expect(await codeOf(open(token))).toBe('ERR_TOKEN_AUDIENCE')
  })

  it.each([
    ['another state', { state: 'Zx81Qw0LmN3pR5tV7yB9dG' }],
    ['no state from the browser', { state: undefined }],
  ])('rejects %s', async (_name, options) => {
    expect(await codeOf(open(await seal(), options))).toBe('ERR_TOKEN_STATE')
  })

  it('rejects a stateless token when the browser holds a state', async () => {
    expect(await codeOf(open(await seal({ state: undefined })))).toBe('ERR_TOKEN_STATE')
  })

  it.each([
    ['a session id with a colon', { sessionId: 'abc:def' }],
    ['an empty session id', { sessionId: '' }],
    ['a 129-character session id', { sessionId: 'a'.repeat(129) }],
    ['an audience with a path', { audience: 'https://app.example.com/' }],
    ['an audience with uppercase', { audience: 'https://App.example.com' }],
    ['a non-http audience', { audience: 'ftp://app.example.com' }],
    ['a state with a dot', { state: 'a.b' }],
  ])('refuses to seal %s', async (_name, input) => {
    expect(await codeOf(seal(input))).toBe('ERR_ARGUMENT_INVALID')
  })

  it('refuses to open without an audience', async () => {
    expect(await codeOf(open(await seal(), { audience: '' }))).toBe('ERR_ARGUMENT_INVALID')
  })
})

describe('claims after opening', () => {
  it('rejects well-sealed plaintext that breaks the layout', async () => {
    // A key holder sealing bytes that are not a valid claims layout (a bug or
    // another protocol sharing the key) must not produce partial claims.
    const token = await sealWithRandomSource(
      keyring,
      { sessionId: SESSION_ID, audience: AUDIENCE },
      { now: NOW },
      (n) => new Uint8Array(n),
    )
    expect((await open(token, { state: undefined })).sessionId).toBe(SESSION_ID)
    const bytes = await forgeWithPlaintext(keyring, new Uint8Array(40))
    expect(await codeOf(open(bytes))).toBe('ERR_TOKEN_CLAIMS_INVALID')
  })
})

/** Seals arbitrary plaintext under the keyring's key, bypassing the claims encoder. */
async function forgeWithPlaintext(
  ring: Keyring,
  plaintext: Uint8Array<ArrayBuffer>,
): Promise<string> {
  const key = ring.current
  const header = new Uint8Array([1, ...key.id])
  const iv = new Uint8Array(12)
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: header, tagLength: 128 },
    key.encryptionKey,
    plaintext,
  )
  return encodeBase64url(new Uint8Array([...header, ...iv, ...new Uint8Array(sealed)]))
}
