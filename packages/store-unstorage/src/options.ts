import { ShareError } from '@share/core'
import type { Storage } from 'unstorage'
import type { StorageLike } from './io.js'

export interface UnstorageStoreOptions {
  /**
   * An unstorage `Storage`, e.g. `createStorage({ driver: fsDriver({ base }) })`.
   * The store does not own it: dispose it yourself when the app stops.
   */
  storage: Storage | StorageLike
  /**
   * Start of every key, so several apps or environments can share one
   * storage. Split at `:`; a segment that is not letters, digits, `_` and `-`
   * is encoded (see the README), so no prefix can reach outside its own
   * keys. Do not give one store a prefix that starts with another store's
   * prefix plus `s:`, `u:`, `c:` or `n:` on the fs driver (a file and a
   * directory would share a name).
   * @default 'share:'
   */
  prefix?: string
  /**
   * Set only when the driver honours `setItem(key, value, { ttl })` with
   * `ttl` in seconds (redis, for one). Items then expire by themselves and
   * `sweep` does nothing; without it, expired items stay until `sweep`
   * (they read as absent meanwhile).
   * @default false
   */
  nativeTtl?: boolean
  /** The clock, in epoch milliseconds; share it with the engine in tests. @default Date.now */
  now?: () => number
  /**
   * Deadline of each storage call, in milliseconds (1 to 60000). Past it, or
   * on any driver error, the operation fails with `ERR_STORE_UNAVAILABLE`.
   * @default 2000
   */
  operationTimeoutMs?: number
}

export interface StoreConfig {
  readonly storage: StorageLike
  readonly prefix: string
  readonly nativeTtl: boolean
  readonly now: () => number
  readonly timeoutMs: number
}

const STORAGE_METHODS = ['getItem', 'getItems', 'setItem', 'removeItem', 'getKeys'] as const

/** Checks the options once, with a message that names the option and the fix. */
export function readOptions(options: UnstorageStoreOptions): StoreConfig {
  if (options === null || typeof options !== 'object') invalid('options must be an object')
  const { storage, prefix = 'share:', nativeTtl = false, now = Date.now } = options
  const timeoutMs = options.operationTimeoutMs ?? 2000
  const methods = storage as unknown as Record<string, unknown> | null
  if (
    methods === null ||
    typeof methods !== 'object' ||
    STORAGE_METHODS.some((name) => typeof methods[name] !== 'function')
  ) {
    invalid('storage must be an unstorage Storage (createStorage({ driver }))')
  }
  if (typeof prefix !== 'string') invalid('prefix must be a string')
  if (typeof nativeTtl !== 'boolean') invalid('nativeTtl must be true or false')
  if (typeof now !== 'function') invalid('now must be a function returning epoch milliseconds')
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 60_000) {
    invalid('operationTimeoutMs must be a whole number of milliseconds from 1 to 60000')
  }
  return { storage, prefix, nativeTtl, now, timeoutMs }
}

function invalid(detail: string): never {
  throw new ShareError('ERR_CONFIG_INVALID', { detail: `unstorage store: ${detail}` })
}
