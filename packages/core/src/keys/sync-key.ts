import { decodeBase64url, encodeBase64url } from '../encoding/base64url.js'
import type { Bytes } from '../encoding/bytes.js'
import { ShareError } from '../errors.js'

/** Recognisable prefix of a sync key, so secret scanners and people can spot one. */
export const SYNC_KEY_PREFIX = 'share_sk1_'

/** Bytes of secret material in a sync key. */
export const SYNC_KEY_BYTES = 32

const SYNC_KEY_LENGTH = SYNC_KEY_PREFIX.length + 43

/**
 * A new sync key: 32 bytes from `crypto.getRandomValues`, base64url, behind
 * the `share_sk1_` prefix. The host and its remotes share it.
 *
 * Exported from `@share/core`.
 *
 * @example
 * ```ts
 * import { generateSyncKey } from '@share/core'
 * console.log(generateSyncKey()) // share_sk1_...
 * ```
 */
export function generateSyncKey(): string {
  return SYNC_KEY_PREFIX + encodeBase64url(crypto.getRandomValues(new Uint8Array(SYNC_KEY_BYTES)))
}

/** The 32 secret bytes of a sync key; throws `ERR_KEY_INVALID` for anything else. */
export function parseSyncKey(key: unknown, position: number): Bytes {
  // The message names the position, never the key, which is a secret.
  const where = `key #${position + 1} of the keyring`
  if (typeof key !== 'string') {
    throw new ShareError('ERR_KEY_INVALID', { detail: `${where} is not a string` })
  }
  if (key.length !== SYNC_KEY_LENGTH || !key.startsWith(SYNC_KEY_PREFIX)) {
    throw new ShareError('ERR_KEY_INVALID', {
      detail: `${where} has the wrong length or prefix (${key.length} characters; a sync key has ${SYNC_KEY_LENGTH})`,
    })
  }
  const bytes = decodeBase64url(key.slice(SYNC_KEY_PREFIX.length))
  if (bytes === null || bytes.length !== SYNC_KEY_BYTES) {
    throw new ShareError('ERR_KEY_INVALID', {
      detail: `${where} is not canonical base64url after its prefix`,
    })
  }
  return bytes
}
