import { ShareError } from '@share/core'
import type { Storage } from 'unstorage'

/** The part of an unstorage `Storage` the store uses. */
export type StorageLike = Pick<
  Storage,
  'getItem' | 'getItems' | 'setItem' | 'removeItem' | 'getKeys'
>

/**
 * Every storage call the store makes, each with a deadline. Whatever a
 * driver throws, and a call that does not answer in time, becomes
 * `ERR_STORE_UNAVAILABLE` (503), so the engine fails closed and never
 * hangs. The cause names the storage method and an error code only: driver
 * messages often quote the key or file path, and keys hold session ids.
 */
export interface Io {
  get(key: string): Promise<unknown>
  /** Values for the keys, in order; one round trip on drivers with `getItems` (Redis MGET). */
  getMany(keys: readonly string[]): Promise<unknown[]>
  /** Writes text; with native TTL the item expires by itself at `until` (epoch ms). */
  set(key: string, text: string, until: number): Promise<void>
  remove(key: string): Promise<void>
  /** Keys under `base`: sweep only, since listing is slow on most drivers. */
  list(base: string): Promise<string[]>
}

export interface IoOptions {
  readonly timeoutMs: number
  readonly nativeTtl: boolean
  readonly now: () => number
}

export function createIo(storage: StorageLike, options: IoOptions): Io {
  const { timeoutMs, nativeTtl, now } = options

  async function guard<T>(method: string, operation: () => Promise<T>): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined
    const timeout = new Error(`unstorage ${method}: no answer within ${timeoutMs} ms`)
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(timeout), timeoutMs)
    })
    try {
      return await Promise.race([operation(), deadline])
    } catch (error) {
      throw new ShareError('ERR_STORE_UNAVAILABLE', {
        cause: error === timeout ? timeout : safeCause(method, error),
      })
    } finally {
      clearTimeout(timer)
    }
  }

  /** Seconds for a driver TTL: whole, at least 1 (0 would mean "no expiry" to some drivers). */
  const ttlSec = (until: number) => Math.max(1, Math.ceil((until - now()) / 1000))

  return {
    get: (key) => guard('getItem', () => storage.getItem(key)),
    async getMany(keys) {
      if (keys.length === 0) return []
      const items = await guard('getItems', () => storage.getItems([...keys]))
      const found = new Map(items.map((item) => [item.key, item.value as unknown]))
      return keys.map((key) => found.get(key) ?? null)
    },
    set: (key, text, until) =>
      guard('setItem', () => storage.setItem(key, text, nativeTtl ? { ttl: ttlSec(until) } : {})),
    remove: (key) => guard('removeItem', () => storage.removeItem(key)),
    list: (base) => guard('getKeys', () => storage.getKeys(base)),
  }
}

/** What failed, for logs: the storage method, the error's name and code, never its message. */
function safeCause(method: string, error: unknown): Error {
  const original = error instanceof Error ? error : null
  const code = (original as { code?: unknown } | null)?.code
  const known = typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code)
  const cause = new Error(`unstorage ${method} failed${known ? ` (${code})` : ''}`)
  if (original !== null && /^[A-Za-z]{1,40}$/.test(original.name)) cause.name = original.name
  return cause
}
