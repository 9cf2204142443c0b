/**
 * @share/store-redis: Share's session store on Redis or Redis Cluster.
 * Every multi-key operation is one Lua script (EVALSHA, EVAL on NOSCRIPT),
 * so the store is atomic across any number of app processes, and records
 * expire by native TTL.
 *
 * @module
 */
import type { SessionStore } from '@share/core/store'
import { fromIORedis, type IORedisLike } from './ioredis.js'
import { createScriptedStore, type ScriptedStoreOptions } from './store.js'

export { fromIORedis, type IORedisLike } from './ioredis.js'
export { createKeys, DEFAULT_PREFIX, type KeyBuilder } from './keys.js'
export { type RedisCommands, scriptSha1, withDeadline } from './runner.js'
export { type LuaScript, type StoreScripts, scriptsFor } from './scripts.js'
export { createScriptedStore, type ScriptedStoreOptions } from './store.js'

export interface RedisStoreOptions extends ScriptedStoreOptions {
  /**
   * An ioredis `Redis` or `Cluster` client. Recommended client options:
   * `enableOfflineQueue: false` and `maxRetriesPerRequest: 1`, so calls fail
   * fast while the server is down instead of queueing.
   */
  client: IORedisLike
}

/**
 * A session store on Redis or Redis Cluster through ioredis.
 *
 * Exported from `@share/store-redis`.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis'
 * import { redisStore } from '@share/store-redis'
 * const client = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { enableOfflineQueue: false, maxRetriesPerRequest: 1 })
 * const store = redisStore({ client, prefix: 'myapp:' })
 * ```
 */
export function redisStore(options: RedisStoreOptions): SessionStore {
  const { client, ...rest } = options
  return createScriptedStore(fromIORedis(client), rest)
}
