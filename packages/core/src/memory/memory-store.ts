import { ShareError } from '../errors.js'
import { deepFreeze, expiresAt, type SessionRecord } from '../session/record.js'
import type { CreateResult, SessionStore, SessionWithParent } from '../session/store.js'

export interface MemoryStoreOptions {
  /**
   * The most session records held at once. When full, expired records are
   * purged; if it is still full, `create` fails with `ERR_STORE_FULL` (503)
   * rather than evicting someone's live session.
   * @default 100_000
   */
  maxSessions?: number
  /**
   * The most replay-guard nonces held at once; same policy as `maxSessions`
   * (refusing is safe; evicting a live nonce would allow a replay).
   * @default 100_000
   */
  maxNonces?: number
  /**
   * The most records (devices and their remotes' linked sessions) one user
   * may hold. Past it, that user's next sign-in or hand-off fails with
   * `ERR_STORE_FULL` (503) while everyone else goes on: one account can never
   * fill the store for the others. Keep it above the engine's
   * `session.maxSessionsPerUser` (100 by default), which already revokes a
   * user's oldest devices.
   * @default 1000
   */
  maxRecordsPerUser?: number
  /** The clock, in epoch milliseconds; share it with the engine in tests. @default Date.now */
  now?: () => number
}

/** Writes between two full scans for expired entries. */
const PURGE_EVERY_WRITES = 1024

/**
 * The embedded store: one process, atomic (every method runs to completion
 * without awaiting), expiring by itself, bounded. For demos, tests and
 * single-process apps; use Redis or Upstash when several processes share
 * sessions.
 *
 * Exported from `@share/core`.
 *
 * @example
 * ```ts
 * import { createMemoryStore, createSessionEngine } from '@share/core'
 * const engine = createSessionEngine({ keyring, store: createMemoryStore() })
 * ```
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): SessionStore {
  const maxSessions = positiveInteger(options.maxSessions ?? 100_000, 'maxSessions')
  const maxNonces = positiveInteger(options.maxNonces ?? 100_000, 'maxNonces')
  const maxPerUser = positiveInteger(options.maxRecordsPerUser ?? 1000, 'maxRecordsPerUser')
  const now = options.now ?? Date.now
  const records = new Map<string, SessionRecord>()
  const byUser = new Map<string, Set<string>>()
  const byParent = new Map<string, Set<string>>()
  const nonces = new Map<string, number>()
  /** Records per user, host and linked: the per-user bound. */
  const perUser = new Map<string, number>()
  let writes = 0

  function count(userId: string, delta: number): void {
    const next = (perUser.get(userId) ?? 0) + delta
    if (next <= 0) perUser.delete(userId)
    else perUser.set(userId, next)
  }

  /** Removes the user's expired records (host records with their children). */
  function purgeUser(userId: string): void {
    for (const id of [...(byUser.get(userId) ?? [])]) {
      live(id)
      for (const child of [...(byParent.get(id) ?? [])]) live(child)
    }
  }

  /** The record if present and not expired; an expired one is removed on sight. */
  function live(id: string, at = now()): SessionRecord | null {
    const record = records.get(id)
    if (record === undefined) return null
    if (at < expiresAt(record)) return record
    remove(id)
    return null
  }

  function remove(id: string): string[] {
    const record = records.get(id)
    if (record === undefined) return []
    records.delete(id)
    count(record.userId, -1)
    const removed = [id]
    for (const child of byParent.get(id) ?? []) removed.push(...remove(child))
    byParent.delete(id)
    const index =
      record.parentId === null ? byUser.get(record.userId) : byParent.get(record.parentId)
    index?.delete(id)
    if (record.parentId === null && index?.size === 0) byUser.delete(record.userId)
    return removed
  }

  function purgeExpired(): number {
    const at = now()
    let count = 0
    for (const [id, record] of records) {
      if (at >= expiresAt(record) && records.has(id)) count += remove(id).length
    }
    for (const [key, expiry] of nonces) if (at >= expiry) nonces.delete(key)
    return count
  }

  function noteWrite(): void {
    if (++writes % PURGE_EVERY_WRITES === 0) purgeExpired()
  }

  function add(set: Map<string, Set<string>>, key: string, id: string): void {
    const ids = set.get(key) ?? new Set<string>()
    ids.add(id)
    set.set(key, ids)
  }

  return {
    name: 'memory',
    capabilities: { atomic: true, nativeTtl: true },

    async get(id) {
      return live(id)
    },
    // Synchronous: the hot read of every request skips a promise and a microtask. No clock
    // either: the engine checks expiry on every read, and an expired record here waits for the
    // next purge (a clock reading is a call into V8's runtime, on every request).
    getWithParent(id): SessionWithParent | null {
      const session = records.get(id)
      if (session === undefined) return null
      const parent = session.parentId === null ? null : (records.get(session.parentId) ?? null)
      return { session, parent }
    },

    async create(record): Promise<CreateResult> {
      if (live(record.id) !== null) return 'exists'
      if (record.parentId !== null && live(record.parentId) === null) return 'parent-missing'
      if ((perUser.get(record.userId) ?? 0) >= maxPerUser) purgeUser(record.userId)
      if ((perUser.get(record.userId) ?? 0) >= maxPerUser) {
        throw new ShareError('ERR_STORE_FULL', {
          detail: `memory store: this user holds ${maxPerUser} sessions (maxRecordsPerUser)`,
        })
      }
      if (records.size >= maxSessions) purgeExpired()
      if (records.size >= maxSessions) {
        throw new ShareError('ERR_STORE_FULL', {
          detail: `memory store holds ${maxSessions} sessions`,
        })
      }
      const stored = freeze(record)
      // Keyed by the copy's id, a flat string: the caller's may be a concatenation, which V8
      // compares through its runtime on every lookup.
      records.set(stored.id, stored)
      count(record.userId, 1)
      if (record.parentId === null) add(byUser, record.userId, record.id)
      else add(byParent, record.parentId, record.id)
      noteWrite()
      return 'created'
    },
    async compareAndSet(record, expectedVersion) {
      const current = live(record.id)
      if (current === null || current.version !== expectedVersion) return false
      records.set(record.id, freeze(record))
      noteWrite()
      return true
    },
    async delete(id) {
      return remove(id)
    },

    async listUser(userId) {
      const ids = [...(byUser.get(userId) ?? [])]
      return ids.map((id) => live(id)).filter((record) => record !== null)
    },
    async deleteUser(userId, exceptId) {
      const ids = [...(byUser.get(userId) ?? [])].filter((id) => id !== exceptId)
      return ids.flatMap(remove)
    },

    async setIfAbsent(key, ttlSec) {
      const at = now()
      const expiry = nonces.get(key)
      if (expiry !== undefined && at < expiry) return false
      if (nonces.size >= maxNonces) purgeExpired()
      if (nonces.size >= maxNonces) {
        throw new ShareError('ERR_STORE_FULL', { detail: `memory store holds ${maxNonces} nonces` })
      }
      nonces.set(key, at + ttlSec * 1000)
      noteWrite()
      return true
    },
    async hasKey(key) {
      const expiry = nonces.get(key)
      return expiry !== undefined && now() < expiry
    },
    async sweep() {
      const scanned = records.size
      const removed = purgeExpired()
      return { scanned, removed, kept: scanned - removed }
    },
  }
}

/** A deep-frozen copy, so neither the caller nor a reader can change what is stored. */
function freeze<T>(value: T): T {
  return deepFreeze(structuredClone(value))
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new ShareError('ERR_CONFIG_INVALID', {
      detail: `memory store: ${name} must be a positive integer`,
    })
  }
  return value
}
