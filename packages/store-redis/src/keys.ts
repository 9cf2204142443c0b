import { ShareError } from '@share/core'
import { USER_TAG_LENGTH, userTag } from '@share/core/store'

/**
 * Key layout. Every key of one user's sessions carries the user's tag in a
 * Redis Cluster hash tag, so a script touching a session, its children and
 * the user's index stays in one slot:
 *
 * ```
 * <prefix>{<tag>}s:<session id>   hash: d (record JSON), v (version), p (parent id or ''), u (user id)
 * <prefix>{<tag>}c:<session id>   set: ids of its linked sessions
 * <prefix>{<tag>}u:<user id>      set: ids of the user's host sessions
 * <prefix>n:<key>                 string: a nonce (set-if-absent with TTL)
 * ```
 *
 * `<tag>` is `userTag(userId)`, which is also the first USER_TAG_LENGTH characters of every
 * session id the engine mints; the Lua scripts rely on that to find related
 * keys from an id alone.
 */

export const DEFAULT_PREFIX = 'share:'
const TAG_LENGTH = USER_TAG_LENGTH

export interface KeyBuilder {
  readonly prefix: string
  record(id: string): string
  children(id: string): string
  user(userId: string): string
  nonce(key: string): string
}

export function createKeys(prefix: string = DEFAULT_PREFIX): KeyBuilder {
  if (typeof prefix !== 'string' || prefix.length > 64 || /[{}]/.test(prefix)) {
    throw new ShareError('ERR_CONFIG_INVALID', {
      detail:
        'redis store: prefix must be a string of at most 64 characters without { or } (they would change the cluster hash tag)',
    })
  }
  const tagged = (tag: string, kind: string, id: string) => `${prefix}{${tag}}${kind}:${id}`
  return {
    prefix,
    record: (id) => tagged(id.slice(0, TAG_LENGTH), 's', id),
    children: (id) => tagged(id.slice(0, TAG_LENGTH), 'c', id),
    user: (userId) => tagged(userTag(userId), 'u', userId),
    nonce: (key) => `${prefix}n:${key}`,
  }
}
