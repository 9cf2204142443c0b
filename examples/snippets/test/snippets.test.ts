import type { Server } from 'node:http'
import { generateSyncKey } from '@share/core'
import { Redis } from 'ioredis'
import { afterAll, describe, expect, it } from 'vitest'
import { HttpBrowser } from './http-browser.ts'

// Each snippet runs as the docs show it; its configuration comes from the environment.
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'

/** Imports a snippet with `env` set while its module runs (they read it at start-up). */
async function load<T>(path: string, env: Record<string, string>): Promise<T> {
  const saved = { ...process.env }
  Object.assign(process.env, env)
  try {
    return (await import(/* @vite-ignore */ path)) as T
  } finally {
    process.env = saved
  }
}

describe('@share/core snippets', () => {
  it('core-tokens: seals for the allowed remote and opens it there', async () => {
    const { claims, sessionId } = await load<{ claims: { sessionId: string }; sessionId: string }>(
      '../src/core-tokens.ts',
      {},
    )
    expect(claims.sessionId).toBe(sessionId)
  })

  it('core-engine: signs in, resolves, lists, logs out everywhere', async () => {
    const { devices, ended, result } = await load<{
      devices: unknown[]
      ended: number
      result: { ok: boolean }
    }>('../src/core-engine.ts', {})
    expect(result.ok).toBe(true)
    expect(devices).toHaveLength(1)
    expect(ended).toBe(1)
  })

  it('core-fetch-remote: starts a sign-in, greets a linked session, reads it from headers', async () => {
    const mod = await load<typeof import('../src/core-fetch-remote.ts')>(
      '../src/core-fetch-remote.ts',
      {
        SHARE_SYNC_KEY: generateSyncKey(),
        SHARE_APP_URL: 'https://app.example.com',
        SHARE_HOST_URL: 'https://login.example.com',
      },
    )
    const anonymous = await mod.fetch(new Request('https://app.example.com/'))
    expect(anonymous.status).toBe(302)
    expect(anonymous.headers.get('location')).toMatch(
      /^https:\/\/login\.example\.com\/share\/authorize\?/,
    )
    const host = await mod.remote.engine.create({ userId: 'alice' })
    const { cookie } = await mod.remote.engine.link({
      hostSessionId: host.session.id,
      audience: mod.remote.origin,
    })
    const headers = new Headers({ cookie: `${mod.remote.cookieName}=${cookie}` })
    const signedIn = await mod.fetch(new Request('https://app.example.com/', { headers }))
    expect(await signedIn.text()).toBe('Hello alice')
    expect(await mod.whoIs(headers)).toBe('alice')
    expect(await mod.whoIs(new Headers())).toBeNull()
  })
})

describe('hono-host, hono-remote and express-remote on one Redis', () => {
  const prefix = `snippets-${crypto.randomUUID().slice(0, 8)}:`
  const syncKey = generateSyncKey()
  const ports = { host: 4690, hono: 4691, express: 4692, expressHost: 4693 }
  const origins = {
    host: `http://host.localhost:${ports.host}`,
    hono: `http://app-hono.localhost:${ports.hono}`,
    express: `http://app-express.localhost:${ports.express}`,
    expressHost: `http://host-express.localhost:${ports.expressHost}`,
  }
  const shared = { SHARE_SYNC_KEY: syncKey, REDIS_URL, SHARE_STORE_PREFIX: prefix }
  const opened: { server: Server; client: Redis }[] = []

  afterAll(async () => {
    for (const { server } of opened) await new Promise((done) => server.close(done))
    const redis = new Redis(REDIS_URL)
    const keys = await redis.keys(`${prefix}*`) // only this run's prefix
    if (keys.length > 0) await redis.del(...keys)
    redis.disconnect()
    for (const { client } of opened) client.disconnect()
  })

  it('signs in at the host once, reaches both remotes, logs out everywhere from Express', async () => {
    type App = { server: Server; client: Redis }
    opened.push(
      await load<App>('../src/hono-host.ts', {
        ...shared,
        PORT: String(ports.host),
        SHARE_APP_URL: origins.host,
        SHARE_KNOWN_REMOTES: `${origins.hono},${origins.express}`,
      }),
      await load<App>('../src/hono-remote.ts', {
        ...shared,
        PORT: String(ports.hono),
        SHARE_APP_URL: origins.hono,
        SHARE_HOST_URL: origins.host,
      }),
      await load<App>('../src/express-host.ts', {
        ...shared,
        PORT: String(ports.expressHost),
        SHARE_APP_URL: origins.expressHost,
        SHARE_KNOWN_REMOTES: origins.hono,
      }),
      await load<App>('../src/express-remote.ts', {
        ...shared,
        PORT: String(ports.express),
        SHARE_APP_URL: origins.express,
        SHARE_HOST_URL: origins.host,
      }),
    )
    const browser = new HttpBrowser()
    const login = await browser.navigate(`${origins.hono}/`)
    expect(login.url).toMatch(new RegExp(`^${origins.host}/login\\?next=`))
    const next = new URL(login.url).searchParams.get('next')!
    const wrong = await browser.fetch(`${origins.host}/login`, {
      form: { username: 'alice', password: 'nope', next },
    })
    expect(wrong.status).toBe(401)
    const back = await browser.navigate(`${origins.host}/login`, {
      form: { username: 'alice', password: 'alice', next },
    })
    expect([back.url, back.text]).toEqual([`${origins.hono}/`, 'Hello alice'])
    const api = await new HttpBrowser().fetch(`${origins.hono}/api/me`)
    expect(api.status).toBe(302) // a page load without JSON in Accept: the sign-in redirect
    const fetchCall = await new HttpBrowser().fetch(`${origins.hono}/api/me`, {
      headers: { accept: 'application/json' },
    })
    expect(fetchCall.status).toBe(401)
    expect((await browser.fetch(`${origins.hono}/api/me`)).text).toBe('{"user":{"name":"Alice"}}')
    expect((await browser.fetch(`${origins.hono}/admin`)).status).toBe(403)
    const express = await browser.navigate(`${origins.express}/`)
    expect(express.text).toMatch(/^Hello alice/)
    expect(JSON.parse((await browser.fetch(`${origins.host}/sessions`)).text)).toHaveLength(1)

    const out = await browser.navigate(`${origins.express}/share/logout`, {
      form: { everywhere: '1' },
    })
    // The Express host: its login form, a wrong password, then its devices page.
    const expressHost = new HttpBrowser()
    const form = await expressHost.fetch(`${origins.expressHost}/login?next=/sessions`)
    expect(form.text).toContain('name="next" value="/sessions"')
    const refused = await expressHost.fetch(`${origins.expressHost}/login`, {
      form: { username: 'alice', password: 'x', next: '/sessions' },
    })
    expect(refused.status).toBe(401)
    const devices = await expressHost.navigate(`${origins.expressHost}/login`, {
      form: { username: 'alice', password: 'alice', next: '/sessions' },
    })
    expect([devices.url, devices.text]).toEqual([
      `${origins.expressHost}/sessions`,
      expect.stringContaining('Log out everywhere'),
    ])
    // Back at the remote's / with no session: it sends the browser to the host's login again.
    expect(out.url).toMatch(new RegExp(`^${origins.host}/login\\?next=`))
    for (const origin of [origins.hono, origins.host]) {
      const page = await browser.fetch(`${origin}/${origin === origins.host ? 'sessions' : ''}`)
      expect(page.status, origin).toBeGreaterThanOrEqual(300)
    }
  })
})

describe('store snippets', () => {
  it('store-redis: a session on the real Redis', async () => {
    const prefix = `snippets-redis-${crypto.randomUUID().slice(0, 8)}:`
    const mod = await load<{ client: Redis; result: { ok: boolean } }>('../src/store-redis.ts', {
      SHARE_SYNC_KEY: generateSyncKey(),
      SHARE_STORE_PREFIX: prefix,
    })
    expect(mod.result.ok).toBe(true)
    const keys = await mod.client.keys(`${prefix}*`)
    expect(keys.length).toBeGreaterThan(0)
    await mod.client.del(...keys)
    mod.client.disconnect()
  })

  it('store-redis-cluster: builds a cluster store without connecting', async () => {
    const mod = await load<{ store: { name: string }; client: { disconnect(): void } }>(
      '../src/store-redis-cluster.ts',
      {},
    )
    expect(mod.store.name).toBe('redis')
    mod.client.disconnect()
  })

  it('store-upstash: a session through the Upstash REST protocol (local shim over Redis)', async () => {
    const { startUpstashShim } = await import(
      '../../../packages/store-upstash/test/shim/upstash-shim.ts'
    )
    const shim = await startUpstashShim({ redisUrl: REDIS_URL })
    const prefix = `snippets-upstash-${crypto.randomUUID().slice(0, 8)}:`
    try {
      const mod = await load<{ result: { ok: boolean } }>('../src/store-upstash.ts', {
        SHARE_SYNC_KEY: generateSyncKey(),
        UPSTASH_REDIS_REST_URL: shim.url,
        UPSTASH_REDIS_REST_TOKEN: shim.token,
        SHARE_STORE_PREFIX: prefix,
      })
      expect(mod.result.ok).toBe(true)
    } finally {
      const redis = new Redis(REDIS_URL)
      const keys = await redis.keys(`${prefix}*`) // only this test's prefix
      if (keys.length > 0) await redis.del(...keys)
      redis.disconnect()
      await shim.close()
    }
  })

  it('store-unstorage: a session in files, and a sweeper that never holds the process', async () => {
    const { mkdtempSync, rmSync, readdirSync } = await import('node:fs')
    const { tmpdir } = await import('node:os')
    const { join } = await import('node:path')
    const dir = mkdtempSync(join(tmpdir(), 'share-snippet-'))
    try {
      const mod = await load<{
        result: { ok: boolean }
        sweeper: NodeJS.Timeout
        storage: { dispose(): Promise<void> }
      }>('../src/store-unstorage.ts', { SHARE_SYNC_KEY: generateSyncKey(), SESSIONS_DIR: dir })
      expect(mod.result.ok).toBe(true)
      expect(mod.sweeper.hasRef()).toBe(false)
      expect(readdirSync(dir).length).toBeGreaterThan(0)
      clearInterval(mod.sweeper)
      await mod.storage.dispose()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('store-unstorage-redis: declares native TTL', async () => {
    const mod = await load<{
      store: { capabilities: { nativeTtl: boolean } }
      storage: { dispose(): Promise<void> }
    }>('../src/store-unstorage-redis.ts', {})
    expect(mod.store.capabilities.nativeTtl).toBe(true)
    await mod.storage.dispose()
  })
})

describe('core-session-api: hook, update, SPA endpoint, cookie options', () => {
  it('provisions the arriving user, renames them everywhere, and answers the SPA', async () => {
    const mod = await load<typeof import('../src/core-session-api.ts')>(
      '../src/core-session-api.ts',
      {},
    )
    expect(mod.remote.cookieName).toBe('__Secure-share_session')
    // A hand-off, as the handlers do it, then the remote's own redemption.
    const signedIn = await mod.host.signIn(
      new Request('https://login.example.com/login', {
        method: 'POST',
        headers: { origin: 'https://login.example.com' },
      }),
      { userId: 'alice', user: { name: 'Alice' } },
    )
    expect(signedIn.status).toBe(303)
    // The hand-off itself, so the onSignIn hook runs: remote → host (signed in) → callback.
    const hostCookie = signedIn.headers.getSetCookie()[0]!.split(';')[0]!
    const start = await mod.remote.loginRedirect(new Request('https://app.example.com/'))
    const state = start.headers.getSetCookie()[0]!.split(';')[0]!
    const authorize = await mod.host.handle(
      new Request(start.headers.get('location')!, { headers: { cookie: hostCookie } }),
    )
    if (authorize.type !== 'respond') throw new Error('expected the redirect with a token')
    const callback = await mod.remote.handle(
      new Request(authorize.response.headers.get('location')!, { headers: { cookie: state } }),
    )
    if (callback.type !== 'respond') throw new Error('expected the landing redirect')
    expect(callback.response.status).toBe(303)
    expect(mod.localUsers.get('alice')).toBe('{"name":"Alice"}') // provisioned by onSignIn
    const cookie = callback.response.headers.getSetCookie()[0]!.split(';')[0]!
    expect(await mod.rename('alice', 'Alicia')).toBe(1)
    expect(await mod.whoIsSignedIn(cookie)).toMatchObject({
      session: { userId: 'alice', user: { name: 'Alicia' } },
    })
    expect(await mod.whoIsSignedIn('')).toEqual({ session: null })
  })
})
