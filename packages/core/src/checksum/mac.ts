import { decodeBase64url, encodeBase64url } from '../encoding/base64url.js'
import { type Bytes, concatBytes, utf8 } from '../encoding/bytes.js'
import { findKey, KEY_ID_BYTES, type KeyEntry, type Keyring } from '../keys/keyring.js'

/**
 * Keyed MACs (HMAC-SHA256 with the keyring's MAC subkey), shared by the
 * public checksum and later by session-cookie MACs. Each use passes its own
 * purpose label, so a MAC made for one purpose never verifies for another.
 *
 * ```
 * mac   = base64url( version (1 byte, 0x01) | keyId (6 bytes) | HMAC-SHA256 (32 bytes) )   -- 52 characters
 * input = "share/v1 " | purpose | 0x00 | data (UTF-8)
 * ```
 */

const MAC_VERSION = 1
const HMAC_BYTES = 32
export const MAC_BYTES = 1 + KEY_ID_BYTES + HMAC_BYTES
/** Length of every MAC's text. */
export const MAC_LENGTH = Math.ceil((MAC_BYTES * 4) / 3)

export type MacPurpose = 'checksum' | 'cookie' | 'log'

function macInput(purpose: MacPurpose, data: string): Bytes {
  return concatBytes(utf8(`share/v1 ${purpose}\0`), utf8(data))
}

export async function signMac(
  keyring: Keyring,
  purpose: MacPurpose,
  data: string,
): Promise<string> {
  const key = keyring.current
  const tag = await crypto.subtle.sign('HMAC', key.macKey, macInput(purpose, data))
  const out = new Uint8Array(MAC_BYTES)
  out[0] = MAC_VERSION
  out.set(key.id, 1)
  out.set(new Uint8Array(tag), 1 + KEY_ID_BYTES)
  return encodeBase64url(out)
}

/**
 * A short keyed hash of a value for logs (12 base64url characters of an
 * HMAC under the purpose `log`): correlates log lines about one token or
 * session without revealing it, and cannot be computed without the key.
 */
export async function logRef(keyring: Keyring, value: string): Promise<string> {
  const mac = await signMac(keyring, 'log', value)
  // Past the version and key id: only HMAC output.
  return mac.slice(10, 22)
}

/** True only for a MAC this keyring made over exactly `data` for `purpose`; never throws. */
export async function verifyMac(
  keyring: Keyring,
  purpose: MacPurpose,
  data: string,
  mac: unknown,
): Promise<boolean> {
  return (await verifyingKey(keyring, purpose, data, mac)) !== null
}

/** The key of this keyring that made the MAC over exactly `data`, or null; never throws. */
export async function verifyingKey(
  keyring: Keyring,
  purpose: MacPurpose,
  data: string,
  mac: unknown,
): Promise<KeyEntry | null> {
  if (typeof mac !== 'string' || mac.length !== MAC_LENGTH) return null
  const bytes = decodeBase64url(mac)
  if (bytes === null || bytes[0] !== MAC_VERSION) return null
  const key = findKey(keyring, bytes, 1)
  if (key === undefined) return null
  const ok = await crypto.subtle.verify(
    'HMAC',
    key.macKey,
    bytes.subarray(1 + KEY_ID_BYTES),
    macInput(purpose, data),
  )
  return ok ? key : null
}
