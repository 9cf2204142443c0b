import { beforeAll, describe, expect, it } from 'vitest'
import { encodeBase64url } from '../encoding/base64url.js'
import { isShareError } from '../errors.js'
import { createKeyring, type Keyring } from '../keys/keyring.js'
import { generateSyncKey } from '../keys/sync-key.js'
import { createChecksum, describeChecksumFailure, verifyChecksum } from './checksum.js'
import { logRef, signMac } from './mac.js'

/** What the host logs when a checksum fails, and the data guard. */

let keyring: Keyring
let other: Keyring

beforeAll(async () => {
  keyring = await createKeyring(generateSyncKey())
  other = await createKeyring(generateSyncKey())
})

describe('describeChecksumFailure', () => {
  it('names a checksum that is not one Share makes: undecodable or the wrong length', () => {
    const notShare = 'the checksum is not one Share makes'
    expect(describeChecksumFailure(keyring, '***')).toBe(notShare)
    expect(describeChecksumFailure(keyring, encodeBase64url(new Uint8Array(38)))).toBe(notShare)
    expect(describeChecksumFailure(keyring, encodeBase64url(new Uint8Array(40)))).toBe(notShare)
  })

  it('names the foreign key id and this keyring', async () => {
    const checksum = await createChecksum(other, 'data')
    expect(describeChecksumFailure(keyring, checksum)).toBe(
      `signed with key id ${other.keyIds[0]}, not in this keyring (${keyring.keyIds[0]}): the remote and the host have different SHARE_SYNC_KEY`,
    )
  })

  it('lists every key id of a rotating keyring', async () => {
    const rotated = await createKeyring([generateSyncKey(), generateSyncKey()])
    const checksum = await createChecksum(other, 'data')
    expect(describeChecksumFailure(rotated, checksum)).toContain(
      `(${rotated.keyIds[0]}, ${rotated.keyIds[1]})`,
    )
  })

  it("says the data changed when this app's key signed it", async () => {
    const checksum = await createChecksum(keyring, 'data')
    expect(await verifyChecksum(keyring, 'other data', checksum)).toBe(false)
    expect(describeChecksumFailure(keyring, checksum)).toBe(
      `signed with this app's key ${keyring.keyIds[0]}, but not over this callback and state: the request was changed on the way`,
    )
  })
})

describe('logRef', () => {
  it('is 12 characters of the HMAC under the purpose log, and no other purpose', async () => {
    const ref = await logRef(keyring, 'session-id')
    expect(ref).toBe((await signMac(keyring, 'log', 'session-id')).slice(10, 22))
    expect(ref).not.toBe((await signMac(keyring, 'cookie', 'session-id')).slice(10, 22))
    expect(ref).toMatch(/^[A-Za-z0-9_-]{12}$/)
  })
})

describe('verifying never throws', () => {
  it('answers false for a checksum of the right length that is not base64url', async () => {
    expect(await verifyChecksum(keyring, 'data', '*'.repeat(52))).toBe(false)
    expect(await verifyChecksum(keyring, 'data', `${'A'.repeat(51)}=`)).toBe(false)
  })
})

describe('checksum data', () => {
  it.each([
    ['creating', () => createChecksum(keyring, null as unknown as string)],
    ['verifying', () => verifyChecksum(keyring, 7 as unknown as string, 'x')],
  ])('must be a string when %s, and the message says so', async (_name, run) => {
    const error = await run().then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(isShareError(error) && error.code).toBe('ERR_ARGUMENT_INVALID')
    expect(isShareError(error) && error.detail).toBe('checksum data must be a string')
  })
})
