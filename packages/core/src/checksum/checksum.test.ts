import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { isShareError } from '../errors.js'
import { createKeyring, type Keyring } from '../keys/keyring.js'
import { generateSyncKey } from '../keys/sync-key.js'
import { createChecksum, verifyChecksum } from './checksum.js'
import { MAC_LENGTH, signMac, verifyMac } from './mac.js'

let keyring: Keyring
let other: Keyring
const keys = [generateSyncKey(), generateSyncKey()] as const

beforeAll(async () => {
  keyring = await createKeyring(keys[0])
  other = await createKeyring(keys[1])
})

describe('checksums', () => {
  it('verify over exactly the signed data', async () => {
    const checksum = await createChecksum(keyring, 'callback.state')
    expect(checksum).toMatch(new RegExp(`^[A-Za-z0-9_-]{${MAC_LENGTH}}$`))
    expect(await verifyChecksum(keyring, 'callback.state', checksum)).toBe(true)
    expect(await verifyChecksum(keyring, 'callback.statf', checksum)).toBe(false)
    expect(await verifyChecksum(keyring, 'callback.state ', checksum)).toBe(false)
  })

  it('fail for every single-character change of the checksum', async () => {
    const checksum = await createChecksum(keyring, 'data')
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
    for (let i = 0; i < checksum.length; i++) {
      const replacement = alphabet[(alphabet.indexOf(checksum[i]!) + 1) % 64]
      const changed = checksum.slice(0, i) + replacement + checksum.slice(i + 1)
      expect(await verifyChecksum(keyring, 'data', changed)).toBe(false)
    }
  })

  it('fail under another key and pass after rotation', async () => {
    const checksum = await createChecksum(keyring, 'data')
    expect(await verifyChecksum(other, 'data', checksum)).toBe(false)
    const rotated = await createKeyring([keys[1], keys[0]])
    expect(await verifyChecksum(rotated, 'data', checksum)).toBe(true)
  })

  it('return false for garbage of any shape and never throw', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string(), fc.anything(), fc.constant('A'.repeat(MAC_LENGTH))),
        async (garbage) => {
          expect(await verifyChecksum(keyring, 'data', garbage as string)).toBe(false)
        },
      ),
      { numRuns: 300 },
    )
  })

  it('throws a ShareError, not a TypeError, when data is not a string', async () => {
    const error = await createChecksum(keyring, 42 as unknown as string).catch((e: unknown) => e)
    expect(isShareError(error) && error.code).toBe('ERR_ARGUMENT_INVALID')
  })

  it('separate purposes: a checksum is not a cookie MAC over the same data', async () => {
    const checksum = await createChecksum(keyring, 'data')
    expect(await verifyMac(keyring, 'cookie', 'data', checksum)).toBe(false)
    expect(await verifyMac(keyring, 'checksum', 'data', checksum)).toBe(true)
    const cookieMac = await signMac(keyring, 'cookie', 'data')
    expect(await verifyChecksum(keyring, 'data', cookieMac)).toBe(false)
  })
})
