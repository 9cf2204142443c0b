// Redemption, resolution, revocation and logout inside workerd, with the Worker's store being
// upstashStore over REST to the Upstash shim (Node, over the real Redis), reached over loopback.
import { env } from 'cloudflare:workers'
import { createShareHost, createShareRemote, fromEnv, generateSyncKey } from '@share/core'
import { upstashStore } from '@share/store-upstash'
import { beforeAll, describe, expect, it } from 'vitest'
import { asFetch, hostWorker, remoteWorker } from './apps.js'
import { form, Jar } from './jar.js'

const HOST = 'http://idp.localhost:4400'
const REMOTE = 'http://app-workers.localhost:4401'

type WorkerEnv = TestEnv & {
  SHARE_SYNC_KEY: string
  SHARE_APP_URL: string
  SHARE_HOST_URL: string
  SHARE_KNOWN_REMOTES: string
}

// core's fromEnv takes string values only; a Worker's env also holds bindings (here a KV namespace).
const vars = ({
  SHARE_SYNC_KEY,
  SHARE_APP_URL,
  SHARE_HOST_URL,
  SHARE_KNOWN_REMOTES,
}: WorkerEnv) => ({
  SHARE_SYNC_KEY,
  SHARE_APP_URL,
  SHARE_HOST_URL,
  SHARE_KNOWN_REMOTES,
})

const store = (e: WorkerEnv) =>
  upstashStore({ url: e.UPSTASH_URL, token: e.UPSTASH_TOKEN, prefix: e.STORE_PREFIX })

let setups = 0
const remoteSetup = (e: WorkerEnv) => {
  setups++
  return createShareRemote({ ...fromEnv(vars(e), 'remote'), store: store(e) })
}
const hostSetup = (e: WorkerEnv) =>
  createShareHost({ ...fromEnv({ ...vars(e), SHARE_APP_URL: HOST }, 'host'), store: store(e) })

const syncKey = generateSyncKey()
const workerEnv: WorkerEnv = {
  ...env,
  SHARE_SYNC_KEY: syncKey,
  SHARE_APP_URL: REMOTE,
  SHARE_HOST_URL: HOST,
  SHARE_KNOWN_REMOTES: REMOTE,
}
const remote = remoteWorker(remoteSetup)
const host = hostWorker(hostSetup)
const apps = { [HOST]: asFetch(host, workerEnv), [REMOTE]: asFetch(remote, workerEnv) }

async function signIn(jar: Jar): Promise<Response> {
  const first = await jar.navigate(`${REMOTE}/private`)
  expect(first.url).toMatch(/^http:\/\/idp\.localhost:4400\/login\?next=/)
  const next = new URL(first.url).searchParams.get('next') ?? ''
  const done = await jar.navigate(`${HOST}/login`, form(`next=${encodeURIComponent(next)}`, HOST))
  expect(done.url).toBe(`${REMOTE}/private`)
  return done.response
}

/** Walks a sign-in up to the host's redirect back; returns the callback URL with its token. */
async function callbackUrl(jar: Jar): Promise<string> {
  const first = await jar.navigate(`${REMOTE}/private`)
  const next = new URL(first.url).searchParams.get('next') ?? ''
  const login = await jar.fetch(`${HOST}/login`, form(`next=${encodeURIComponent(next)}`, HOST))
  const handOff = await jar.fetch(new URL(login.headers.get('location') ?? '', HOST).href)
  return handOff.headers.get('location') ?? ''
}

describe('@share/workers in workerd, upstashStore through the shim', () => {
  beforeAll(async () => {
    // Fails fast (and loudly) when the shim cannot be reached from workerd.
    const probe = await fetch(`${env.UPSTASH_URL}/`, {
      method: 'POST',
      headers: { authorization: `Bearer ${env.UPSTASH_TOKEN}` },
      body: JSON.stringify(['ping']),
    })
    expect(probe.status).toBe(200)
  })

  it('redeems the host token and resolves the session on later requests', async () => {
    const jar = new Jar(apps)
    const page = await signIn(jar)
    expect(await page.text()).toBe('hello alice')
    expect(await (await jar.fetch(`${REMOTE}/public`)).text()).toBe('hi alice')
    expect(await (await jar.fetch(`${HOST}/whoami`)).text()).toBe('alice')
  })

  it('sets the session cookie on the 303 that drops the token from the URL', async () => {
    const jar = new Jar(apps)
    const redeemed = await jar.fetch(await callbackUrl(jar))
    expect(redeemed.status).toBe(303)
    expect(redeemed.headers.get('location')).toBe('/private')
    expect(redeemed.headers.getSetCookie()[0]).toMatch(
      /^share_session=[\w-]+\.[\w-]+; Path=\/; HttpOnly; SameSite=Lax$/,
    )
  })

  it('refuses a token redeemed twice (the replay guard in the store), with a 403 page', async () => {
    const jar = new Jar(apps)
    const callback = await callbackUrl(jar)
    const state = jar.cookie(REMOTE, 'share_state') ?? ''
    expect((await jar.fetch(callback)).status).toBe(303)
    // The same browser, its state cookie put back: only the used token id stops it now.
    jar.setCookie(REMOTE, 'share_state', state)
    const again = await jar.fetch(callback)
    expect(again.status).toBe(403)
    expect(again.headers.get('location')).toBeNull()
    const body = await again.text()
    expect(body).toContain('ERR_TOKEN_REPLAYED')
    expect(body).not.toContain(new URL(callback).searchParams.get('token'))
  })

  it('ends the remote session on its next request when the host session is revoked', async () => {
    const jar = new Jar(apps)
    await signIn(jar)
    // Log out at the host: the host session ends, and with it every linked one.
    const out = await jar.fetch(`${HOST}/share/logout`, form('', HOST))
    expect(out.status).toBe(303)
    const next = await jar.fetch(`${REMOTE}/public`)
    expect(await next.text()).toBe('anon')
    // The dead cookie is cleared, so the browser stops sending it.
    expect(next.headers.get('set-cookie')).toMatch(/^share_session=; .*Max-Age=0/)
  })

  it('logs out at the remote only, or everywhere with everywhere=1', async () => {
    const jar = new Jar(apps)
    await signIn(jar)
    expect((await jar.fetch(`${REMOTE}/share/logout`, form('', REMOTE))).status).toBe(303)
    expect(await (await jar.fetch(`${REMOTE}/public`)).text()).toBe('anon')
    expect(await (await jar.fetch(`${HOST}/whoami`)).text()).toBe('alice')

    // The host session is still alive: the next visit comes back signed in with no login page.
    const back = await jar.navigate(`${REMOTE}/private`)
    expect([back.url, await back.response.text()]).toEqual([`${REMOTE}/private`, 'hello alice'])
    const other = new Jar(apps)
    await signIn(other)
    const everywhere = await jar.fetch(`${REMOTE}/share/logout`, form('everywhere=1', REMOTE))
    expect([everywhere.status, everywhere.headers.get('location')]).toEqual([303, '/'])
    for (const browser of [jar, other]) {
      expect(await (await browser.fetch(`${REMOTE}/public`)).text()).toBe('anon')
      expect(await (await browser.fetch(`${HOST}/whoami`)).text()).toBe('anon')
    }
  })

  it('refuses a logout POST from another origin', async () => {
    const jar = new Jar(apps)
    await signIn(jar)
    const foreign = await jar.fetch(
      `${REMOTE}/share/logout`,
      form('everywhere=1', 'https://evil.example'),
    )
    expect(foreign.status).toBe(403)
    expect(await (await jar.fetch(`${REMOTE}/public`)).text()).toBe('hi alice')
  })

  it('answers hostile input with error pages, never a throw or a redirect loop', async () => {
    const jar = new Jar(apps)
    jar.setCookie(REMOTE, 'share_session', 'garbage.garbage')
    const garbage = await jar.fetch(`${REMOTE}/public`)
    expect(await garbage.text()).toBe('anon')
    expect(garbage.headers.get('set-cookie')).toMatch(/Max-Age=0/)
    for (const token of ['', 'A'.repeat(100_000), '%00', 'ATAk.....']) {
      const response = await new Jar(apps).fetch(`${REMOTE}/share/callback?token=${token}`)
      expect(response.status).toBeGreaterThanOrEqual(400)
      expect(response.status).toBeLessThan(500)
      expect(response.headers.get('location')).toBeNull()
    }
    const tampered = await callbackUrl(jar)
    const url = new URL(tampered)
    const token = url.searchParams.get('token') ?? ''
    url.searchParams.set('token', `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`)
    expect((await jar.fetch(url.href)).status).toBe(403)
  })

  it('builds the remote once per isolate for the same bindings, again when one changes', async () => {
    const before = setups
    const call = asFetch(remote, { ...workerEnv })
    await call(new Request(`${REMOTE}/public`))
    await call(new Request(`${REMOTE}/public`))
    expect(setups).toBe(before)
    const rotated = { ...workerEnv, SHARE_SYNC_KEY: `${generateSyncKey()},${syncKey}` }
    await asFetch(remote, rotated)(new Request(`${REMOTE}/public`))
    expect(setups).toBe(before + 1)
  })

  it('compares non-string bindings by identity, and retries a setup that threw', async () => {
    let built = 0
    const worker = remoteWorker((e: WorkerEnv & { BINDING: object }) => {
      built++
      if (!e.SHARE_SYNC_KEY) throw new Error('SHARE_SYNC_KEY is not set')
      return createShareRemote({ ...fromEnv(vars(e), 'remote'), store: store(e) })
    })
    const binding = {}
    const request = () => new Request(`${REMOTE}/public`)
    await asFetch(worker, { ...workerEnv, BINDING: binding })(request())
    await asFetch(worker, { ...workerEnv, BINDING: binding })(request())
    expect(built).toBe(1)
    await asFetch(worker, { ...workerEnv, BINDING: {} })(request())
    expect(built).toBe(2)
    const broken = { ...workerEnv, SHARE_SYNC_KEY: '', BINDING: binding }
    await expect(asFetch(worker, broken)(request())).rejects.toThrow('SHARE_SYNC_KEY is not set')
    await expect(asFetch(worker, broken)(request())).rejects.toThrow('SHARE_SYNC_KEY is not set')
    expect(built).toBe(4) // not remembered: each request tries again
    expect(await (await asFetch(worker, workerEnv as never)(request())).text()).toBe('anon')
  })

  it('hands the throttled touch write to ctx.waitUntil, not to the response path', async () => {
    let clock = Date.now()
    const now = () => clock
    const timed = {
      [HOST]: asFetch(
        hostWorker((e: WorkerEnv) =>
          createShareHost({
            ...fromEnv({ ...vars(e), SHARE_APP_URL: HOST }, 'host'),
            store: store(e),
            now,
          }),
        ),
        workerEnv,
      ),
      [REMOTE]: asFetch(
        remoteWorker((e: WorkerEnv) =>
          createShareRemote({
            ...fromEnv(vars(e), 'remote'),
            store: store(e),
            now,
            session: { touchIntervalSec: 60 },
          }),
        ),
        workerEnv,
      ),
    }
    const touchingRemote = remoteWorker((e: WorkerEnv) =>
      createShareRemote({
        ...fromEnv(vars(e), 'remote'),
        store: store(e),
        now,
        session: { touchIntervalSec: 60 },
      }),
    )
    const jar = new Jar(timed)
    const first = await jar.navigate(`${REMOTE}/private`)
    const next = new URL(first.url).searchParams.get('next') ?? ''
    await jar.navigate(`${HOST}/login`, form(`next=${encodeURIComponent(next)}`, HOST))
    const cookie = `share_session=${jar.cookie(REMOTE, 'share_session')}`
    const waited: Promise<unknown>[] = []
    const ctx = {
      waitUntil: (promise: Promise<unknown>) => void waited.push(promise),
      passThroughOnException() {},
      props: {},
    } as unknown as ExecutionContext
    const call = () =>
      touchingRemote(new Request(`${REMOTE}/public`, { headers: { cookie } }), workerEnv, ctx)
    expect(await (await call()).text()).toBe('hi alice')
    expect(waited).toHaveLength(0) // within the touch interval: no write at all
    clock += 61_000
    expect(await (await call()).text()).toBe('hi alice')
    expect(waited).toHaveLength(1) // the lastSeen write, handed to the runtime
    await expect(Promise.all(waited)).resolves.toBeDefined()
    expect(await (await call()).text()).toBe('hi alice')
    expect(waited).toHaveLength(1)
  })

  it('adds core headers to the wrapped handler response (host pages are unframeable)', async () => {
    const response = await apps[HOST]!(new Request(`${HOST}/whoami`))
    expect(response.headers.get('content-security-policy')).toBe("frame-ancestors 'none'")
  })
})
