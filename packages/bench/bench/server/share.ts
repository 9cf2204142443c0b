import {
  createMemoryStore,
  createShareRemote,
  generateSyncKey,
  type ShareRemote,
} from '@share/core'
import { redisStore } from '@share/store-redis'
import { Redis } from 'ioredis'
import { APP_URL, IDP_URL, USER, USER_ID } from './setup.ts'

/** A remote on the memory store or on Redis, and the cookie of its linked session. */
export async function shareRemoteWithSession(
  store: 'memory' | 'redis',
  redisUrl: string,
  prefix: string,
  touchIntervalSec: number | undefined,
): Promise<{ remote: ShareRemote; cookie: string }> {
  const remote = createShareRemote({
    syncKey: generateSyncKey(),
    appUrl: APP_URL,
    hostUrl: IDP_URL,
    store:
      store === 'memory'
        ? createMemoryStore()
        : redisStore({ client: new Redis(redisUrl), prefix: `${prefix}share:` }),
    ...(touchIntervalSec === undefined ? {} : { session: { touchIntervalSec } }),
  })
  // A host sign-in, then the remote's linked session, as a redeemed hand-off leaves it.
  const host = await remote.engine.create({ userId: USER_ID, user: USER })
  const linked = await remote.engine.link({
    hostSessionId: host.session.id,
    audience: remote.origin,
  })
  return { remote, cookie: `${remote.cookieName}=${linked.cookie}` }
}
