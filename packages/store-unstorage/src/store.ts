import { ShareError } from '@share/core'
import {
  type CreateResult,
  createRecordParser,
  expiresAt,
  isAlive,
  type SessionRecord,
  type SessionStore,
  serializeRecord,
} from '@share/core/store'
import { failClosed } from './fail-closed.js'
import { createIo } from './io.js'
import { createKeys } from './keys.js'
import { createLocks, idLock, nonceLock, userLock } from './lock.js'
import { readOptions, type UnstorageStoreOptions } from './options.js'
import { sweepExpired } from './sweep.js'
import {
  type Context,
  listOf,
  readRecord,
  readRecords,
  removeTree,
  rewriteList,
  userList,
} from './tree.js'
import { toExpiry } from './values.js'

/**
 * A Share session store on any unstorage driver. Not atomic across
 * processes (`capabilities.atomic` is false, so the engine needs
 * `allowNonAtomicStore: true`); within one process every operation on one
 * user's items runs under that user's lock. See the README for exactly what
 * a race between processes can do.
 *
 * Exported from `@share/store-unstorage`.
 *
 * @example
 * ```ts
 * import { createStorage } from 'unstorage'
 * import redisDriver from 'unstorage/drivers/redis'
 * const storage = createStorage({ driver: redisDriver({ url: process.env.REDIS_URL }) })
 * const store = unstorageStore({ storage, nativeTtl: true })
 * ```
 */
export function unstorageStore(options: UnstorageStoreOptions): SessionStore {
  const config = readOptions(options)
  const { now, nativeTtl } = config
  const io = createIo(config.storage, config)
  const ctx: Context = { io, keys: createKeys(config.prefix), now, parse: createRecordParser() }
  const locks = createLocks()

  /** Removes records seen expired by a read, under the write lock, if they still are. */
  async function reap(records: readonly SessionRecord[]): Promise<void> {
    for (const seen of records) {
      await locks.run([idLock(seen.id)], true, async () => {
        const current = await readRecord(ctx, seen.id)
        if (current !== null && !isAlive(current, now())) await removeTree(ctx, current, true)
      })
    }
  }

  /** Live records for the ids (shared locks), reaping the expired ones after. */
  async function readLive(ids: readonly string[]): Promise<(SessionRecord | null)[]> {
    const records = await locks.run(ids.map(idLock), false, () => readRecords(ctx, ids))
    const at = now()
    const expired = new Map<string, SessionRecord>()
    for (const record of records) if (record && !isAlive(record, at)) expired.set(record.id, record)
    // Clean-up only: the answer is already known, so a failure here is not the caller's.
    if (expired.size > 0) await reap([...expired.values()]).catch(() => undefined)
    return records.map((record) => (record !== null && isAlive(record, at) ? record : null))
  }

  const store: SessionStore = {
    name: 'unstorage',
    capabilities: Object.freeze({ atomic: false, nativeTtl }),

    async get(id) {
      const [record] = await readLive([id])
      return record ?? null
    },
    async getWithParent(id) {
      const [session] = await readLive([id])
      if (!session) return null
      if (session.parentId === null) return { session, parent: null }
      const [parent] = await readLive([session.parentId])
      return { session, parent: parent ?? null }
    },

    async create(record) {
      const text = serializeRecord(record) // refuses what could not be read back
      const names = [idLock(record.id), userLock(record.userId)]
      if (record.parentId !== null) names.push(idLock(record.parentId))
      return locks.run(names, true, async (): Promise<CreateResult> => {
        const existing = await readRecord(ctx, record.id)
        if (existing !== null && isAlive(existing, now())) return 'exists'
        if (record.parentId !== null) {
          const parent = await readRecord(ctx, record.parentId)
          if (parent === null || !isAlive(parent, now())) return 'parent-missing'
        }
        if (existing !== null) await removeTree(ctx, existing, true)
        const key = await ctx.keys.record(record.id)
        await io.set(key, text, expiresAt(record))
        try {
          const add = (live: SessionRecord[]) => [...live.filter((r) => r.id !== record.id), record]
          await rewriteList(ctx, await listOf(ctx, record), add, true)
        } catch (error) {
          // Best effort: a record nobody could list or revoke-all is worse than none.
          await io.remove(key).catch(() => undefined)
          throw error
        }
        return 'created'
      })
    },

    async compareAndSet(record, expectedVersion) {
      const text = serializeRecord(record)
      return locks.run([idLock(record.id), userLock(record.userId)], true, async () => {
        const current = await readRecord(ctx, record.id)
        if (current === null || !isAlive(current, now())) {
          if (current !== null) await removeTree(ctx, current, true)
          return false
        }
        if (current.version !== expectedVersion) return false
        await io.set(await ctx.keys.record(record.id), text, expiresAt(record))
        // A list's TTL follows its records' absolute expiry. The engine never
        // moves that, but if a caller does, the list must live as long.
        if (nativeTtl && record.absoluteExpiresAt > current.absoluteExpiresAt) {
          await rewriteList(ctx, await listOf(ctx, record), (live) => live, false)
        }
        return true
      })
    },

    delete: (id) =>
      locks.run([idLock(id)], true, async () => {
        const record = await readRecord(ctx, id)
        return record === null ? [] : removeTree(ctx, record, true)
      }),

    listUser: (userId) =>
      locks.run([userLock(userId)], true, async () => {
        const { live } = await rewriteList(ctx, await userList(ctx, userId), (l) => l, true)
        return live
      }),

    deleteUser: (userId, exceptId) =>
      locks.run([userLock(userId)], true, async () => {
        const removed: string[] = []
        // Records first, then the list: a failure leaves dead entries (pruned
        // later), never live sessions missing from the list.
        const { reaped } = await rewriteList(
          ctx,
          await userList(ctx, userId),
          async (live) => {
            for (const record of live) {
              if (record.id !== exceptId) removed.push(...(await removeTree(ctx, record, false)))
            }
            return live.filter((record) => record.id === exceptId)
          },
          true,
        )
        return [...reaped, ...removed]
      }),

    async setIfAbsent(key, ttlSec) {
      if (typeof ttlSec !== 'number' || !Number.isFinite(ttlSec) || ttlSec <= 0) {
        throw new ShareError('ERR_ARGUMENT_INVALID', {
          detail: 'unstorage store: setIfAbsent needs a positive number of seconds',
        })
      }
      const storageKey = await ctx.keys.nonce(key)
      return locks.run([nonceLock(storageKey)], true, async () => {
        const at = now()
        const expiry = toExpiry(await io.get(storageKey))
        if (expiry !== null && at < expiry) return false
        const until = at + Math.ceil(ttlSec * 1000)
        await io.set(storageKey, String(until), until)
        return true
      })
    },

    async hasKey(key) {
      const expiry = toExpiry(await io.get(await ctx.keys.nonce(key)))
      return expiry !== null && now() < expiry
    },

    async sweep(at, onProgress) {
      if (nativeTtl) return { scanned: 0, removed: 0, kept: 0 }
      const time = typeof at === 'number' && Number.isFinite(at) ? at : now()
      // The caller's progress display must never fail the sweep.
      const report =
        typeof onProgress === 'function'
          ? (scanned: number, total: number) => {
              try {
                onProgress(scanned, total)
              } catch {}
            }
          : undefined
      return sweepExpired(ctx, locks, time, report)
    },
  }
  return failClosed(store)
}
