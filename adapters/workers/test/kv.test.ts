// Workers KV through @share/store-unstorage (unstorage's cloudflare-kv-binding driver), inside
// workerd on Miniflare's local KV. KV is eventually consistent and has no atomic
// set-if-absent, so core refuses it for the replay guard unless the app opts in; with the
// opt-in the flow runs. (Local KV is consistent: the propagation delay of the real service
// cannot be shown here; the README cites Cloudflare's documentation for it.)
import { env } from 'cloudflare:workers'
import { createShareHost, createShareRemote, generateSyncKey, isShareError } from '@share/core'
import { unstorageStore } from '@share/store-unstorage'
import { createStorage } from 'unstorage'
import kvDriver from 'unstorage/drivers/cloudflare-kv-binding'
import { describe, expect, it } from 'vitest'
import { asFetch, hostWorker, remoteWorker } from './apps.js'
import { form, Jar } from './jar.js'

const HOST = 'http://idp.localhost:4400'
const REMOTE = 'http://app-workers.localhost:4401'
const syncKey = generateSyncKey()

const kvStore = (e: TestEnv) =>
  unstorageStore({
    storage: createStorage({ driver: kvDriver({ binding: e.SESSIONS_KV as never }) }),
    prefix: `${e.STORE_PREFIX}kv:`,
    nativeTtl: true,
  })

describe('Workers KV (unstorage cloudflare-kv-binding) as the store', () => {
  it('is refused for the replay guard unless the app opts in', () => {
    let error: unknown
    try {
      createShareRemote({ syncKey, appUrl: REMOTE, hostUrl: HOST, store: kvStore(env) })
    } catch (caught) {
      error = caught
    }
    expect(isShareError(error) && error.code).toBe('ERR_CONFIG_INVALID')
    expect(String((error as Error).message)).toContain('not atomic')
  })

  it('runs the hand-off, resolution and logout with allowNonAtomicStore: true', async () => {
    const session = { allowNonAtomicStore: true }
    const apps = {
      [HOST]: asFetch(
        hostWorker((e: TestEnv) =>
          createShareHost({
            syncKey,
            appUrl: HOST,
            knownRemotes: [REMOTE],
            store: kvStore(e),
            session,
          }),
        ),
        env,
      ),
      [REMOTE]: asFetch(
        remoteWorker((e: TestEnv) =>
          createShareRemote({ syncKey, appUrl: REMOTE, hostUrl: HOST, store: kvStore(e), session }),
        ),
        env,
      ),
    }
    const jar = new Jar(apps)
    const first = await jar.navigate(`${REMOTE}/private`)
    const next = new URL(first.url).searchParams.get('next') ?? ''
    const done = await jar.navigate(`${HOST}/login`, form(`next=${encodeURIComponent(next)}`, HOST))
    expect([done.url, await done.response.text()]).toEqual([`${REMOTE}/private`, 'hello alice'])
    expect(await (await jar.fetch(`${REMOTE}/public`)).text()).toBe('hi alice')
    await jar.fetch(`${REMOTE}/share/logout`, form('everywhere=1', REMOTE))
    expect(await (await jar.fetch(`${REMOTE}/public`)).text()).toBe('anon')
    expect(await (await jar.fetch(`${HOST}/whoami`)).text()).toBe('anon')
  })
})
