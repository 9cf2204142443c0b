import { ShareError } from '../errors.js'
import { assertKeyring, type Keyring } from '../keys/keyring.js'
import { signMac, verifyMac } from './mac.js'

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

function assertData(data: unknown): asserts data is string {
  if (typeof data !== 'string') {
    throw new ShareError('ERR_ARGUMENT_INVALID', { detail: 'checksum data must be a string' })
  }
}
