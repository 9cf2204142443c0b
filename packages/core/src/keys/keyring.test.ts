import { describe, expect, it } from 'vitest'
import { isShareError, type ShareError } from '../errors.js'
import { createKeyring } from './keyring.js'
import { generateSyncKey, SYNC_KEY_PREFIX } from './sync-key.js'

async function keyError(keys: unknown): Promise<ShareError> {
  try {
    await createKeyring(keys as string[])
  } catch (error) {
    if (isShareError(error)) return error
    throw error
  }
  throw new Error('createKeyring accepted a bad key')
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

/** The same 4 leading bits with the 2 unused low bits set: same bytes, other spelling. */
function setUnusedBits(last: string): string {
  return ALPHABET[(ALPHABET.indexOf(last) & ~3) | 1]!
}

describe('generateSyncKey', () => {
  it('is the prefix and 43 base64url characters (32 bytes)', () => {
    const key = generateSyncKey()
    expect(key).toMatch(/^share_sk1_[A-Za-z0-9_-]{43}$/)
    expect(key.startsWith(SYNC_KEY_PREFIX)).toBe(true)
  })

  it('never repeats', () => {
    const keys = new Set(Array.from({ length: 1000 }, generateSyncKey))
    expect(keys.size).toBe(1000)
  })
})

describe('createKeyring', () => {
  it('accepts one key or a list, newest first, with 8-character key ids', async () => {
    const [a, b] = [generateSyncKey(), generateSyncKey()]
    const single = await createKeyring(a)
    const both = await createKeyring([b, a])
    expect(single.keyIds).toHaveLength(1)
    expect(single.keyIds[0]).toMatch(/^[A-Za-z0-9_-]{8}$/)
    expect(both.keyIds).toEqual([expect.any(String), single.keyIds[0]])
    expect(both.keyIds[0]).not.toBe(single.keyIds[0])
  })

  it('derives the same key id from the same key', async () => {
    const key = generateSyncKey()
    expect((await createKeyring(key)).keyIds).toEqual((await createKeyring(key)).keyIds)
  })

  const good = generateSyncKey()
  const body = good.slice(SYNC_KEY_PREFIX.length)
  it.each([
    ['an empty list', []],
    ['an empty string', ''],
    ['a key without prefix', body],
    ['a key with another prefix', `share_sk2_${body}`],
    ['a short key', good.slice(0, -1)],
    ['a long key', `${good}A`],
    ['padding', `${good.slice(0, -1)}=`],
    ['a character outside base64url', `${good.slice(0, -1)}+`],
    ['non-canonical trailing bits', `${good.slice(0, -1)}${setUnusedBits(good.at(-1)!)}`],
    ['a number', 42],
    ['a list holding a number', [good, 42]],
    ['the same key twice', [good, good]],
  ])('rejects %s with ERR_KEY_INVALID at creation', async (_name, keys) => {
    const error = await keyError(keys)
    expect(error.code).toBe('ERR_KEY_INVALID')
  })

  it('never puts key material in the error message', async () => {
    const bad = `${good.slice(0, -1)}+`
    const error = await keyError([good, bad])
    expect(error.message).not.toContain(body.slice(0, 12))
    expect(error.message).toContain('key #2')
  })
})
