// Sessions on Redis through ioredis: one Lua script per operation, atomic, expiring by TTL.
import { createSessionEngine } from '@share/core'
import { redisStore } from '@share/store-redis'
import { Redis } from 'ioredis'

const client = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
  enableOfflineQueue: false, // fail fast while the server is down (the app answers 503)
  maxRetriesPerRequest: 1,
  lazyConnect: true,
})
// Without an offline queue, a command sent before the connection is up fails: connect first.
await client.connect()
// Host and remotes: the same Redis and the same prefix, or they cannot see each other's sessions.
const store = redisStore({ client, prefix: process.env.SHARE_STORE_PREFIX ?? 'myapp:' })

// createShareHost / createShareRemote take the store the same way; the engine alone here.
const engine = createSessionEngine({ syncKey: process.env.SHARE_SYNC_KEY!, store })
const { cookie } = await engine.create({ userId: 'alice' })
const result = await engine.resolve(cookie)

export { client, result }
