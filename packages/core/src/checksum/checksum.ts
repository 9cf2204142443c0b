import { decodeBase64url, encodeBase64url } from '../encoding/base64url.js'
import { ShareError } from '../errors.js'
import { assertKeyring, KEY_ID_BYTES, type Keyring } from '../keys/keyring.js'
import { MAC_BYTES, signMac, verifyMac } from './mac.js'

/**
 * A checksum over `data` with the keyring's newest MAC key (HMAC-SHA256,
 * key id included): 52 URL-safe characters. The remote signs its callback
 * and state with it so the host knows the request came from a key holder.
 *
 * Exported from `@share/core`.
 *
 * @example
 * ```ts
 * import { createChecksum, verifyChecksum } from '@share/core'
 * const checksum = await createChecksum(keyring, `${callback}.${state}`)
 * await verifyChecksum(keyring, `${callback}.${state}`, checksum) // true
 * ```
 */
export async function createChecksum(keyring: Keyring, data: string): Promise<string> {
  assertKeyring(keyring)
  assertData(data)
  return signMac(keyring, 'checksum', data)
}

/**
 * True when `checksum` was made by a key in this keyring over exactly
 * `data`. Garbage (wrong length, alphabet, version or key) is `false`.
 *
 * Exported from `@share/core`.
 */
export async function verifyChecksum(
  keyring: Keyring,
  data: string,
  checksum: string,
): Promise<boolean> {
  assertKeyring(keyring)
  assertData(data)
  return verifyMac(keyring, 'checksum', data, checksum)
}

/**
 * Why a checksum did not verify, for logs: an unknown key id (the apps have
 * different keys) or a known key whose MAC differs (the data was changed).
 */
export function describeChecksumFailure(keyring: Keyring, checksum: string): string {
  const bytes = decodeBase64url(checksum)
  if (bytes === null || bytes.length !== MAC_BYTES) return 'the checksum is not one Share makes'
  const id = encodeBase64url(bytes.subarray(1, 1 + KEY_ID_BYTES))
  if (!keyring.keyIds.includes(id)) {
    return `signed with key id ${id}, not in this keyring (${keyring.keyIds.join(', ')}): the remote and the host have different SHARE_SYNC_KEY`
  }
  return `signed with this app's key ${id}, but not over this callback and state: the request was changed on the way`
}

function assertData(data: unknown): asserts data is string {
  if (typeof data !== 'string') {
    throw new ShareError('ERR_ARGUMENT_INVALID', { detail: 'checksum data must be a string' })
  }
}
