// The Durable Object store inside workerd (Miniflare, SQLite-backed object): the conformance
// suite every store runs, then the hand-off, revocation and logout on it through withShare.
import { env } from 'cloudflare:workers'
import { createShareHost, createShareRemote, generateSyncKey } from '@share/core'
import { testSessionStore } from '@share/store-testkit'
import { describe, expect, it } from 'vitest'
import { durableObjectStore } from '../src/durable-object.js'
import { asFetch, hostWorker, remoteWorker } from './apps.js'
import { form, Jar } from './jar.js'

testSessionStore({
  name: 'durable-object (workerd, SQLite)',
  time: 'virtual',
  // Each prefix is its own object: the suite's isolation test covers the naming.
  create: ({ prefix, now }) =>
    durableObjectStore({ namespace: env.SHARE_SESSIONS, name: prefix, now }),
})

describe('withShare on the Durable Object store', () => {
  const HOST = 'http://idp.localhost:4400'
  const REMOTE = 'http://app-workers.localhost:4401'
  const syncKey = generateSyncKey()
  const name = `flow-${crypto.randomUUID()}`
  const store = (e: TestEnv) => durableObjectStore({ namespace: e.SHARE_SESSIONS, name })
  const apps = {
    [HOST]: asFetch(
      hostWorker((e: TestEnv) =>
        createShareHost({ syncKey, appUrl: HOST, knownRemotes: [REMOTE], store: store(e) }),
      ),
      env,
    ),
    [REMOTE]: asFetch(
      remoteWorker((e: TestEnv) =>
        createShareRemote({ syncKey, appUrl: REMOTE, hostUrl: HOST, store: store(e) }),
      ),
      env,
    ),
  }

  async function signIn(jar: Jar) {
    const first = await jar.navigate(`${REMOTE}/private`)
    const next = new URL(first.url).searchParams.get('next') ?? ''
    return jar.navigate(`${HOST}/login`, form(`next=${encodeURIComponent(next)}`, HOST))
  }

  it('signs in, and ends on revocation and on logout everywhere', async () => {
    const jar = new Jar(apps)
    const done = await signIn(jar)
    expect([done.url, await done.response.text()]).toEqual([`${REMOTE}/private`, 'hello alice'])
    expect(await (await jar.fetch(`${REMOTE}/public`)).text()).toBe('hi alice')
    // The host logs out: the remote's linked session ends on its next request.
    await jar.fetch(`${HOST}/share/logout`, form('', HOST))
    expect(await (await jar.fetch(`${REMOTE}/public`)).text()).toBe('anon')

    const other = new Jar(apps)
    await signIn(other)
    await other.fetch(`${REMOTE}/share/logout`, form('everywhere=1', REMOTE))
    expect(await (await other.fetch(`${HOST}/whoami`)).text()).toBe('anon')
  })
})
