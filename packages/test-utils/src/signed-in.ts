import {
  createMemoryStore,
  createShareRemote,
  generateSyncKey,
  type ShareRemote,
} from '@share/core'
import { HOST_ORIGIN, REMOTE_ORIGIN } from './origins.js'

/**
 * A remote on the memory store (REMOTE_ORIGIN, host HOST_ORIGIN) and the Cookie header of a
 * linked session of `userId`, as a redeemed hand-off leaves it: for tests of what an adapter
 * does with a signed-in request, without walking the hand-off first.
 */
export async function signedInRemote(
  userId = 'alice',
): Promise<{ remote: ShareRemote; cookie: string }> {
  const remote = createShareRemote({
    syncKey: generateSyncKey(),
    appUrl: REMOTE_ORIGIN,
    hostUrl: HOST_ORIGIN,
    store: createMemoryStore(),
  })
  const host = await remote.engine.create({ userId })
  const linked = await remote.engine.link({
    hostSessionId: host.session.id,
    audience: remote.origin,
  })
  return { remote, cookie: `${remote.cookieName}=${linked.cookie}` }
}
