// A Share host on Next (Node runtime): the hand-off, logout and session management served by a
// Route Handler, the host session read by the proxy and by Server Components.
import { createShareHost, fromEnv } from '@share/core'
import { createShareNext } from '@share/next'
import { redisStore } from '@share/store-redis'
import { Redis } from 'ioredis'

export const share = createShareNext(() => {
  const client = new Redis(process.env.SHARE_STORE_URL ?? 'redis://127.0.0.1:6379', {
    maxRetriesPerRequest: 1,
  })
  client.on('error', () => {}) // the store answers 503 while Redis is away
  return createShareHost({
    ...fromEnv(process.env, 'host'),
    store: redisStore({ client, prefix: process.env.SHARE_STORE_PREFIX ?? 'share:' }),
    // The audit log: one JSON line per event on the console (no token, session id or cookie).
    logger: { info: (entry) => console.log(JSON.stringify(entry)) },
  })
})

/** The demo's users; a real host checks its own user database here. */
export const USERS: Record<string, { password: string; name: string }> = {
  alice: { password: 'alice', name: 'Alice Example' },
  bob: { password: 'bob', name: 'Bob Example' },
}
