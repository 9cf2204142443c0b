import { beforeAll, describe, expect, it } from 'vitest'
import { encodeBase64url } from '../encoding/base64url.js'
import { isShareError, type ShareError } from '../errors.js'
import { createKeyring, type Keyring } from '../keys/keyring.js'
import { generateSyncKey } from '../keys/sync-key.js'
import { MAX_TOKEN_LENGTH, MIN_TOKEN_LENGTH } from './format.js'
import { isOrigin, sealSessionId, type UnsealOptions, unsealSessionId } from './seal.js'

/** The bounds and messages of sealing and opening, one guard at a time. */

const AUDIENCE = 'https://app.example.com'
const NOW = Date.UTC(2026, 10, 23, 12, 0, 0)
const SESSION_ID = 'k7Qm2V9xYpL4nR8sT1uW3zA6bC0dE5fG7hJ9iK2lM4o'

let keyring: Keyring

beforeAll(async () => {
  keyring = await createKeyring(generateSyncKey())
})

async function failure(promise: Promise<unknown>): Promise<ShareError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  if (!isShareError(error)) throw new Error(`expected a ShareError, got ${String(error)}`)
  return error
}

const open = (token: string, options: Partial<UnsealOptions> = {}) =>
  unsealSessionId(keyring, token, { audience: AUDIENCE, now: NOW, ...options })

/** Base64url of `byteLength` bytes that start with a real header of this keyring: decodes, never opens. */
function forged(byteLength: number): string {
  const bytes = new Uint8Array(byteLength)
  bytes[0] = 1
  bytes.set(keyring.current.id, 1)
  return encodeBase64url(bytes)
}

describe('sealing guards', () => {
  it.each([
    [
      'no keyring',
      () =>
        sealSessionId(null as unknown as Keyring, { sessionId: SESSION_ID, audience: AUDIENCE }),
    ],
    ['no input', () => sealSessionId(keyring, undefined as never)],
    [
      'null options',
      () => sealSessionId(keyring, { sessionId: 'x', audience: 'ftp://x' }, null as never),
    ],
  ])('answers %s with a ShareError, not a TypeError', async (_name, run) => {
    expect((await failure(run())).code).toBe('ERR_ARGUMENT_INVALID')
  })

  it.each([
    [{ sessionId: 'a:b' }, 'sessionId must be 1 to 128 base64url characters'],
    [
      { audience: 'https://app.example.com/' },
      'audience must be a serialized http(s) origin such as https://app.example.com',
    ],
    [{ state: 'a.b' }, 'state must be 1 to 128 base64url characters'],
    [{ ttl: 601 }, 'ttl must be a whole number of seconds from 1 to 600'],
  ])('says what is wrong with %o', async (input, detail) => {
    const error = await failure(
      sealSessionId(keyring, { sessionId: SESSION_ID, audience: AUDIENCE, ...input }, { now: NOW }),
    )
    expect(error.code).toBe('ERR_ARGUMENT_INVALID')
    expect(error.detail).toBe(detail)
  })

  it('takes any time from 0 to just under 2^48 ms, and refuses what lies outside', async () => {
    for (const now of [0, 2 ** 48 - 1]) {
      const token = await sealSessionId(
        keyring,
        { sessionId: SESSION_ID, audience: AUDIENCE },
        { now },
      )
      expect((await open(token, { now })).issuedAt).toBe(now)
    }
    for (const now of [-1, 2 ** 48, Number.NaN]) {
      const error = await failure(
        sealSessionId(keyring, { sessionId: SESSION_ID, audience: AUDIENCE }, { now }),
      )
      expect(error.detail).toBe('now must be epoch milliseconds')
    }
  })

  it('isOrigin holds origins up to 255 characters and refuses longer ones', () => {
    // Labels of at most 63 characters, so the long origin is a real one.
    const long = (length: number) => {
      const labels: string[] = []
      let size = 'https://example'.length
      while (size + 64 <= length) {
        labels.push('b'.repeat(63))
        size += 64
      }
      const rest = length - size
      if (rest > 0) labels.push('c'.repeat(rest - 1))
      return `https://${labels.join('.')}.example`.replace('..', '.')
    }
    const at255 = long(255)
    expect(at255).toHaveLength(255)
    expect(isOrigin(at255)).toBe(true)
    const at256 = long(256)
    expect(at256).toHaveLength(256)
    expect(new URL(at256).origin).toBe(at256)
    expect(isOrigin(at256)).toBe(false)
    expect(isOrigin(42)).toBe(false)
    expect(isOrigin('https://')).toBe(false)
    expect(isOrigin('https://exa mple.com')).toBe(false)
  })
})

describe('opening guards', () => {
  it('measures the length first: one byte short or long is malformed, the bounds themselves are not', async () => {
    const shortest = forged(64)
    const longest = forged(573)
    expect(shortest).toHaveLength(MIN_TOKEN_LENGTH)
    expect(longest).toHaveLength(MAX_TOKEN_LENGTH)
    expect((await failure(open(shortest))).code).toBe('ERR_TOKEN_BAD_SEAL')
    expect((await failure(open(longest))).code).toBe('ERR_TOKEN_BAD_SEAL')
    expect((await failure(open(forged(63)))).code).toBe('ERR_TOKEN_MALFORMED')
    expect((await failure(open(forged(574)))).code).toBe('ERR_TOKEN_MALFORMED')
  })

  it('names the unknown key id and the keyring it was looked up in', async () => {
    const other = await createKeyring(generateSyncKey())
    const token = await sealSessionId(
      other,
      { sessionId: SESSION_ID, audience: AUDIENCE },
      { now: NOW },
    )
    const error = await failure(open(token))
    expect(error.code).toBe('ERR_TOKEN_UNKNOWN_KEY')
    expect(error.detail).toBe(
      `the token's key id ${other.keyIds[0]} is not in this keyring (${keyring.keyIds[0]}): the host and this app have different SHARE_SYNC_KEY`,
    )
    const rotated = await createKeyring([generateSyncKey(), generateSyncKey()])
    const detail = (
      await failure(unsealSessionId(rotated, token, { audience: AUDIENCE, now: NOW }))
    ).detail
    expect(detail).toContain(`(${rotated.keyIds[0]}, ${rotated.keyIds[1]})`)
  })

  it('says how far in the future a token was issued, and the leeway', async () => {
    const token = await sealSessionId(
      keyring,
      { sessionId: SESSION_ID, audience: AUDIENCE },
      { now: NOW + 20_000 },
    )
    const error = await failure(open(token, { leeway: 5 }))
    expect(error.code).toBe('ERR_TOKEN_NOT_YET_VALID')
    expect(error.detail).toBe(
      "it was issued 20s in this app's future, past the 5s leeway (tokenLeewaySec): the clocks of host and app differ",
    )
  })

  it.each([
    [
      'no audience',
      { audience: undefined as unknown as string },
      "unseal needs this app's origin as `audience`",
    ],
    ['a state that is not a string', { state: 42 as unknown as string }, 'state must be a string'],
    [
      'a time that is not a number',
      { now: '1' as unknown as number },
      'now must be epoch milliseconds',
    ],
    ['an infinite time', { now: Number.POSITIVE_INFINITY }, 'now must be epoch milliseconds'],
    ['leeway 31', { leeway: 31 }, 'leeway must be a number of seconds from 0 to 30'],
    [
      'a leeway that is a numeric string',
      { leeway: '5' as unknown as number },
      'leeway must be a number of seconds from 0 to 30',
    ],
  ])('refuses %s with a message', async (_name, options, detail) => {
    const token = await sealSessionId(
      keyring,
      { sessionId: SESSION_ID, audience: AUDIENCE },
      { now: NOW },
    )
    const error = await failure(open(token, options))
    expect(error.code).toBe('ERR_ARGUMENT_INVALID')
    expect(error.detail).toBe(detail)
  })

  it('takes the largest leeway, 30 seconds, and uses it', async () => {
    const token = await sealSessionId(
      keyring,
      { sessionId: SESSION_ID, audience: AUDIENCE, ttl: 1 },
      { now: NOW },
    )
    expect((await open(token, { leeway: 30, now: NOW + 30_999 })).sessionId).toBe(SESSION_ID)
    expect((await failure(open(token, { leeway: 30, now: NOW + 31_000 }))).code).toBe(
      'ERR_TOKEN_EXPIRED',
    )
  })
})
