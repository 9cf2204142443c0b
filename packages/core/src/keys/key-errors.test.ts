import { describe, expect, it } from 'vitest'
import { signMac } from '../checksum/mac.js'
import { isShareError, type ShareError } from '../errors.js'
import { assertKeyring, createKeyring, type Keyring, parseKeys } from './keyring.js'
import { generateSyncKey, parseSyncKey, SYNC_KEY_PREFIX } from './sync-key.js'

/** What a developer is told about a bad key or keyring: the position and the problem, never the key. */

function thrown(run: () => unknown): ShareError {
  try {
    run()
  } catch (error) {
    if (isShareError(error)) return error
    throw error
  }
  throw new Error('expected a ShareError')
}

const good = generateSyncKey()

describe('key messages', () => {
  // Names without the keys: generated keys in a test name change on every collection.
  it.each([
    [[], 'ERR_KEY_INVALID', 'the keyring needs at least one key'],
    [[good, 7], 'ERR_KEY_INVALID', 'key #2 of the keyring is not a string'],
    [
      [`${good}A`],
      'ERR_KEY_INVALID',
      'key #1 of the keyring has the wrong length or prefix (54 characters; a sync key has 53)',
    ],
    [
      [`share_sk2_${good.slice(SYNC_KEY_PREFIX.length)}`],
      'ERR_KEY_INVALID',
      'key #1 of the keyring has the wrong length or prefix (53 characters; a sync key has 53)',
    ],
    [
      [`${good.slice(0, -1)}=`],
      'ERR_KEY_INVALID',
      'key #1 of the keyring is not canonical base64url after its prefix',
    ],
    [[generateSyncKey(), good, good], 'ERR_KEY_INVALID', 'key #3 is listed twice in the keyring'],
    [[good, good], 'ERR_KEY_INVALID', 'key #2 is listed twice in the keyring'],
  ])('refuses a bad keyring with %# %s: %s', (keys, code, detail) => {
    const error = thrown(() => parseKeys(keys))
    expect(error.code).toBe(code)
    expect(error.detail).toBe(detail)
  })

  it('parseSyncKey numbers positions from 1', () => {
    expect(thrown(() => parseSyncKey(null, 4)).detail).toBe('key #5 of the keyring is not a string')
  })
})

describe('assertKeyring', () => {
  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a string', 'share_sk1_x'],
    ['an object without entries', { current: {} }],
    ['entries that are not a list', { entries: {}, current: {} }],
    ['no current key', { entries: [] }],
  ])('refuses %s with a message naming createKeyring', (_name, value) => {
    const error = thrown(() => assertKeyring(value))
    expect(error.code).toBe('ERR_ARGUMENT_INVALID')
    expect(error.detail).toBe('expected a keyring from createKeyring()')
  })

  it('refuses a function that carries keyring fields', () => {
    const imitation = Object.assign(() => undefined, { entries: [], current: {} })
    expect(thrown(() => assertKeyring(imitation)).code).toBe('ERR_ARGUMENT_INVALID')
  })

  it('accepts a real keyring', async () => {
    const keyring: Keyring = await createKeyring(good)
    expect(() => assertKeyring(keyring)).not.toThrow()
  })

  it('derives keys that cannot be exported', async () => {
    const keyring = await createKeyring(good)
    expect(keyring.current.encryptionKey.extractable).toBe(false)
    expect(keyring.current.macKey.extractable).toBe(false)
    await expect(crypto.subtle.exportKey('raw', keyring.current.macKey)).rejects.toThrow()
    expect(await signMac(keyring, 'checksum', 'x')).toHaveLength(52)
  })
})
