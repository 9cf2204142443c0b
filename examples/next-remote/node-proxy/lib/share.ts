// The same remote on Node: proxy.ts (Next 16) runs on the Node runtime, so it can use TCP Redis.
import { createShareRemote, fromEnv } from '@share/core'
import { createShareNext } from '@share/next'
import { redisStore } from '@share/store-redis'
import { Redis } from 'ioredis'

export const share = createShareNext(
  () => {
    // Made on a first request, whose commands wait in the offline queue while it connects.
    const client = new Redis(process.env.SHARE_STORE_URL ?? 'redis://127.0.0.1:6379', {
      maxRetriesPerRequest: 1,
    })
    client.on('error', () => {}) // the store answers 503 while Redis is away
    return createShareRemote({
      ...fromEnv(process.env, 'remote'),
      store: redisStore({ client, prefix: process.env.SHARE_STORE_PREFIX ?? 'share:' }),
      // The audit log: one JSON line per event on the console (no token, session id or cookie).
      logger: { info: (entry) => console.log(JSON.stringify(entry)) },
    })
  },
  { protect: ['/private'] },
)
