import { encodeBase64url, isBase64urlText } from '../encoding/base64url.js'
import { type RandomSource, utf8 } from '../encoding/bytes.js'

/** Random bytes in a session id: 256 bits. */
const SESSION_ID_RANDOM_BYTES = 32
/** Characters of the user tag that starts every session id. */
export const USER_TAG_LENGTH = 6
/** Length of every session id the engine mints. */
export const SESSION_ID_LENGTH = USER_TAG_LENGTH + 43

/**
 * A short, stable, non-secret tag for a user id (FNV-1a 32-bit of its UTF-8,
 * base64url). Every session id of the user starts with it, so a store that
 * shards by key (Redis Cluster) can keep all of one user's records in one
 * slot and update them in one atomic script. Collisions only share a slot.
 *
 * Exported from `@share/core/store` for store implementations.
 */
export function userTag(userId: string): string {
  let hash = 0x811c9dc5
  for (const byte of utf8(userId)) {
    hash ^= byte
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return encodeBase64url(
    new Uint8Array([hash >>> 24, (hash >>> 16) & 255, (hash >>> 8) & 255, hash & 255]),
  )
}

/** A new secret session id for a user: their tag, then 256 random bits. */
export function createSessionId(userId: string, random: RandomSource): string {
  return userTag(userId) + encodeBase64url(random(SESSION_ID_RANDOM_BYTES))
}

/** A new opaque handle for listing (128 random bits). */
export function createHandle(random: RandomSource): string {
  return encodeBase64url(random(16))
}

/** True for text shaped like an engine-minted session id. */
export function isSessionId(value: string): boolean {
  return value.length === SESSION_ID_LENGTH && isBase64urlText(value)
}
