// lib/share.ts of a Next remote on Node (proxy.ts), with a guard per path.
import { createShareRemote, fromEnv } from '@share/core'
import { createShareNext } from '@share/next'
import { redisStore } from '@share/store-redis'
import { Redis } from 'ioredis'

// SHARE_SYNC_KEY, SHARE_APP_URL (this app), SHARE_HOST_URL (the host), REDIS_URL.
const client = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
  enableOfflineQueue: false, // fail fast (503) while Redis is away, instead of queueing
  maxRetriesPerRequest: 1,
})

export const share = createShareNext(
  () =>
    createShareRemote({
      ...fromEnv(process.env, 'remote'),
      store: redisStore({ client, prefix: process.env.SHARE_STORE_PREFIX ?? 'share:' }),
    }),
  {
    protect: [
      '/account', // any session; without one, pages go to sign in and API calls get 401 JSON
      { path: '/admin', where: (session) => session.userId === 'admin' }, // others get 403
      { path: '/api', onMissing: 'status' }, // always 401 JSON, never the sign-in redirect
    ],
  },
)
export { client }
