// The Share remote of this app, on the edge (middleware.ts) and in Server Components alike.
import { createShareRemote, fromEnv } from '@share/core'
import { createShareNext } from '@share/next'
import { upstashStore } from '@share/store-upstash'

export const share = createShareNext(
  // Made on the first request: `next build` evaluates this module without the environment.
  () =>
    createShareRemote({
      ...fromEnv(process.env, 'remote'),
      store: upstashStore({
        url: process.env.UPSTASH_REDIS_REST_URL ?? '',
        token: process.env.UPSTASH_REDIS_REST_TOKEN ?? '',
        // The host's store prefix: the same sessions, read over REST.
        prefix: process.env.SHARE_STORE_PREFIX ?? 'share:',
      }),
      // The audit log: one JSON line per event on the console (no token, session id or cookie).
      logger: { info: (entry) => console.log(JSON.stringify(entry)) },
    }),
  { protect: ['/private'] },
)
