import { ShareError } from '@share/core'
import {
  type CreateResult,
  createRecordParser,
  expiresAt,
  RECORD_PARSE_CACHE_SIZE,
  type SessionRecord,
  type SessionStore,
  type SessionWithParent,
  serializeRecord,
  userTag,
} from '@share/core/store'
import { createKeys } from './keys.js'
import { type RedisCommands, runScript, withDeadline } from './runner.js'
import { type LuaScript, scriptsFor } from './scripts.js'

export interface ScriptedStoreOptions {
  /**
   * Prefix of every key, so several apps or environments can share a server.
   * Must not contain `{` or `}`.
   * @default 'share:'
   */
  prefix?: string
  /**
   * Deadline for each store call in milliseconds; past it the call fails
   * with `ERR_STORE_UNAVAILABLE` (the HTTP layer answers 503).
   * @default 2000
   */
  commandTimeoutMs?: number
  /** The store's name in events and messages. @default 'redis' */
  name?: string
}

/**
 * A SessionStore over any client that can run Lua scripts: the engine of
 * `redisStore` and `upstashStore`. Every multi-key operation is one script,
 * so the store is atomic across processes; records expire by native TTL.
 *
 * Exported from `@share/store-redis` for adapters to other clients.
 */
export function createScriptedStore(
  redis: RedisCommands,
  options: ScriptedStoreOptions = {},
): SessionStore {
  const keys = createKeys(options.prefix)
  const timeoutMs = options.commandTimeoutMs ?? 2000
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 60_000) {
    throw new ShareError('ERR_CONFIG_INVALID', {
      detail:
        'redis store: commandTimeoutMs must be a whole number of milliseconds from 1 to 60000',
    })
  }
  const scripts = scriptsFor(keys.prefix)
  // Per store: two stores in one process share no parsed records.
  const parseRecord = createRecordParser()

  const run = (script: LuaScript, scriptKeys: string[], args: string[] = []) =>
    runScript(redis, script, scriptKeys, args, timeoutMs)

  /** The set a record is listed in: its user's index, or its parent's children. */
  const indexKey = (record: SessionRecord) =>
    record.parentId === null ? keys.user(record.userId) : keys.children(record.parentId)

  const records = (raw: unknown): SessionRecord[] =>
    Array.isArray(raw) ? raw.map(parseRecord).filter((record) => record !== null) : []

  const withParent = (raw: unknown[]): SessionWithParent | null => {
    const session = parseRecord(raw[0])
    if (session === null) return null
    return { session, parent: session.parentId === null ? null : parseRecord(raw[1]) }
  }

  // The conditional read: the last answer per id, with the versions it holds. The server
  // compares them atomically and answers 1 while they are current, so a request between
  // touches receives and parses no record. Per store, bounded; the oldest entry leaves first.
  // The record's key is kept too, built and flattened once rather than on every request.
  const held = new Map<
    string,
    { readonly key: string; readonly versions: string; readonly found: SessionWithParent }
  >()
  const hold = (id: string, key: string, found: SessionWithParent | null) => {
    // A linked record held without its parent is never confirmed: the server answers in full.
    if (found === null) {
      held.delete(id)
      return
    }
    const versions = `${found.session.version}:${found.parent?.version ?? ''}`
    if (!held.has(id) && held.size >= RECORD_PARSE_CACHE_SIZE) {
      held.delete(held.keys().next().value as string)
    }
    held.set(id, { key, versions, found: Object.freeze(found) })
  }

  /** Drops the copies of deleted records: none is kept past its deletion, even by its id. */
  const forget = (deleted: string[]) => {
    for (const id of deleted) held.delete(id)
    return deleted
  }

  const ids = (raw: unknown): string[] => (Array.isArray(raw) ? raw.map(String) : [])

  return {
    name: options.name ?? 'redis',
    capabilities: { atomic: true, nativeTtl: true },

    async get(id) {
      return parseRecord(await withDeadline(() => redis.hget(keys.record(id), 'd'), timeoutMs))
    },
    // Not async: every request reads through here, and a then() is one promise fewer than an await.
    getWithParent(id) {
      const last = held.get(id)
      const key = last?.key ?? keys.record(id)
      return run(scripts.getWithParent, [key], [last?.versions ?? '']).then((raw) => {
        // The server found the versions held: the copy is current, nothing to send or parse.
        if (raw === 1 && last !== undefined) return last.found
        const found = Array.isArray(raw) ? withParent(raw) : null
        hold(id, key, found)
        return found
      })
    },

    async create(record) {
      // The scripts find related keys from an id's first characters (one cluster slot per user).
      const tag = userTag(record.userId)
      if (
        !record.id.startsWith(tag) ||
        (record.parentId !== null && !record.parentId.startsWith(tag))
      ) {
        throw new ShareError('ERR_ARGUMENT_INVALID', {
          detail:
            "redis store: a session id, and a linked session's parent id, must start with userTag(userId)",
        })
      }
      const parentKey =
        record.parentId === null ? keys.record(record.id) : keys.record(record.parentId)
      const result = await run(
        scripts.create,
        [keys.record(record.id), indexKey(record), parentKey],
        [
          serializeRecord(record),
          String(record.version),
          record.parentId ?? '',
          record.userId,
          record.id,
          String(expiresAt(record)),
        ],
      )
      return result as CreateResult
    },
    async compareAndSet(record, expectedVersion) {
      const result = await run(
        scripts.compareAndSet,
        [keys.record(record.id), indexKey(record)],
        [
          String(expectedVersion),
          serializeRecord(record),
          String(record.version),
          String(expiresAt(record)),
        ],
      )
      return Number(result) === 1
    },
    async delete(id) {
      return forget(ids(await run(scripts.delete, [keys.record(id)], [id])))
    },

    async listUser(userId) {
      return records(await run(scripts.list, [keys.user(userId)]))
    },
    async deleteUser(userId, exceptId) {
      return forget(ids(await run(scripts.deleteUser, [keys.user(userId)], [exceptId ?? ''])))
    },

    async setIfAbsent(key, ttlSec) {
      if (!Number.isFinite(ttlSec) || ttlSec <= 0) {
        throw new ShareError('ERR_ARGUMENT_INVALID', { detail: 'ttlSec must be a positive number' })
      }
      const ttlMs = Math.ceil(ttlSec * 1000)
      return withDeadline(() => redis.setIfAbsent(keys.nonce(key), '1', ttlMs), timeoutMs)
    },
    async hasKey(key) {
      return withDeadline(() => redis.exists(keys.nonce(key)), timeoutMs)
    },
    async sweep() {
      // Native TTL: Redis expires records itself (so nothing is looked at); index entries are pruned as they are met.
      return { scanned: 0, removed: 0, kept: 0 }
    },
  }
}
