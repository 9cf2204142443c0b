import { encodeBase64url } from '../encoding/base64url.js'
import { type Bytes, createRandomPool, type RandomSource, utf8 } from '../encoding/bytes.js'
import { ShareError } from '../errors.js'
import { parseSyncKey } from './sync-key.js'

/** Bytes of the key id carried by every token and checksum. */
export const KEY_ID_BYTES = 6

/** Fixed HKDF salt: domain separation from any other use of the same bytes. */
const HKDF_SALT = utf8('share.hkdf.v1')

/** The subkeys derived from one sync key. */
export interface KeyEntry {
  /** 6 bytes, derived from the key, so a token names its key without revealing it. */
  readonly id: Bytes
  /** `id` as base64url (8 characters): the public label, safe to log. */
  readonly idText: string
  readonly encryptionKey: CryptoKey
  readonly macKey: CryptoKey
}

/**
 * The keys an app seals and opens with. The first key seals and signs; every
 * listed key opens and verifies, so keys rotate without a flag day.
 * Build one with {@link createKeyring}; its fields are internal.
 */
export interface Keyring {
  /** Public key ids (base64url), newest first: safe to log. */
  readonly keyIds: readonly string[]
  /** @internal The key that seals and signs. */
  readonly current: KeyEntry
  /** @internal Every key, newest first; `entries[0]` is `current`. */
  readonly entries: readonly KeyEntry[]
  /** @internal This keyring's own pool of random bytes (IVs, token ids). */
  readonly random: RandomSource
  /** @internal Audiences this keyring already sealed for, found valid (a host seals for a few remotes). */
  readonly audiences: Set<string>
}

/**
 * Derives a keyring from one sync key or a list of them (newest first).
 * Every key is checked before any crypto, so a bad key fails here.
 *
 * Exported from `@share/core/token`.
 *
 * @example
 * ```ts
 * import { createKeyring } from '@share/core/token'
 * const keyring = await createKeyring([process.env.SHARE_SYNC_KEY!, process.env.SHARE_OLD_SYNC_KEY!])
 * ```
 */
export async function createKeyring(keys: string | readonly string[]): Promise<Keyring> {
  return deriveKeyring(parseKeys(keys))
}

/**
 * The secret bytes of every key, checked without any crypto: a malformed,
 * missing or repeated key throws `ERR_KEY_INVALID` naming its position,
 * never the key.
 */
export function parseKeys(keys: unknown): Bytes[] {
  const list: readonly unknown[] = typeof keys === 'string' ? [keys] : (keys as unknown[])
  if (!Array.isArray(list) || list.length === 0) {
    throw new ShareError('ERR_KEY_INVALID', { detail: 'the keyring needs at least one key' })
  }
  const secrets = list.map((key, position) => parseSyncKey(key, position))
  // Canonical base64url: the same bytes are always the same text.
  const repeated = list.findIndex((key, position) => list.indexOf(key) !== position)
  if (repeated >= 0) {
    throw new ShareError('ERR_KEY_INVALID', {
      detail: `key #${repeated + 1} is listed twice in the keyring`,
    })
  }
  return secrets
}

/** Derives the subkeys of keys already checked by {@link parseKeys}. */
export async function deriveKeyring(secrets: readonly Bytes[]): Promise<Keyring> {
  const entries = await Promise.all(secrets.map(deriveEntry))
  const keyIds = entries.map((entry) => entry.idText)
  return Object.freeze({
    keyIds: Object.freeze(keyIds),
    current: entries[0]!,
    entries: Object.freeze(entries),
    random: createRandomPool(),
    audiences: new Set<string>(),
  })
}

async function deriveEntry(secret: Bytes): Promise<KeyEntry> {
  const master = await crypto.subtle.importKey('raw', secret, 'HKDF', false, [
    'deriveKey',
    'deriveBits',
  ])
  // No `HkdfParams` annotation: the DOM lib names the type, @cloudflare/workers-types does not.
  const params = (label: string) => ({
    name: 'HKDF',
    hash: 'SHA-256',
    salt: HKDF_SALT,
    info: utf8(`share/v1 ${label}`),
  })
  const [encryptionKey, macKey, idBits] = await Promise.all([
    crypto.subtle.deriveKey(params('encryption'), master, { name: 'AES-GCM', length: 256 }, false, [
      'encrypt',
      'decrypt',
    ]),
    crypto.subtle.deriveKey(
      params('mac'),
      master,
      { name: 'HMAC', hash: 'SHA-256', length: 256 },
      false,
      ['sign', 'verify'],
    ),
    crypto.subtle.deriveBits(params('key-id'), master, KEY_ID_BYTES * 8),
  ])
  const id = new Uint8Array(idBits)
  return { id, idText: encodeBase64url(id), encryptionKey, macKey }
}

/**
 * The key whose 6-byte id starts `bytes` at `offset`, or `undefined`. A
 * linear scan: keyrings hold a handful of keys during a rotation.
 */
export function findKey(keyring: Keyring, bytes: Uint8Array, offset: number): KeyEntry | undefined {
  next: for (const entry of keyring.entries) {
    for (let i = 0; i < KEY_ID_BYTES; i++) {
      if (entry.id[i] !== bytes[offset + i]) continue next
    }
    return entry
  }
  return undefined
}

/** Throws a clear error when something other than a keyring is passed. */
export function assertKeyring(keyring: unknown): asserts keyring is Keyring {
  const candidate = keyring as Partial<Keyring> | null
  if (
    !candidate ||
    typeof candidate !== 'object' ||
    !Array.isArray(candidate.entries) ||
    !candidate.current
  ) {
    throw new ShareError('ERR_ARGUMENT_INVALID', {
      detail: 'expected a keyring from createKeyring()',
    })
  }
}
