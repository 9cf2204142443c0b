/**
 * @share/test-utils (private): the scenario table every framework adapter
 * runs against itself. The adapter's test builds a host app and a remote app
 * around core handlers this module creates, and hands back one `fetch` per
 * app; the scenarios then walk the protocol through them and check status,
 * Location, Set-Cookie attributes, Cache-Control and Referrer-Policy.
 *
 * @module
 */
import {
  createMemoryStore,
  createShareHost,
  createShareRemote,
  generateSyncKey,
  type ShareHost,
  type ShareRemote,
} from '@share/core'
import type { SessionStore } from '@share/core/store'
import { createChecksum, createKeyring, encodeCallback } from '@share/core/token'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { HOST_ORIGIN, REMOTE_ORIGIN } from './origins.js'

export { HOST_ORIGIN, REMOTE_ORIGIN } from './origins.js'
export { signedInRemote } from './signed-in.js'

export type Fetch = (request: Request) => Promise<Response>

/**
 * The apps an adapter test builds. Each must serve, through the adapter:
 * - remote: `GET /private` behind the adapter's `requireSession`, answering
 *   `hello <userId>`, and `GET /public` answering `hi <userId>` or `anon`;
 * - host: `GET /login` answering 200 (any page), `POST /login` (form field
 *   `next`) calling `host.signIn` for user `alice`, and `GET /whoami`
 *   answering the user id or `anon`.
 * With `{ guards: true }` the remote also serves `GET /admin` behind
 * `requireSession(remote, { where: (s) => s.userId === 'admin' })`, answering `admin`.
 */
export interface AdapterApps {
  host: Fetch
  remote: Fetch
  close(): Promise<void>
}

export type BuildApps = (handlers: { host: ShareHost; remote: ShareRemote }) => Promise<AdapterApps>

/** A browser over the apps: a cookie jar per origin, redirects counted and followed by hand. */
class Browser {
  private readonly jars = new Map<string, Map<string, string>>()
  constructor(private readonly apps: AdapterApps) {}

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const target = new URL(url)
    const jar = this.jars.get(target.origin) ?? new Map<string, string>()
    this.jars.set(target.origin, jar)
    const headers = new Headers(init.headers)
    if (jar.size > 0)
      headers.set('cookie', [...jar].map(([name, value]) => `${name}=${value}`).join('; '))
    const app = target.origin === HOST_ORIGIN ? this.apps.host : this.apps.remote
    const response = await app(new Request(target, { ...init, headers }))
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';')
      const [name = '', value = ''] = [
        pair.slice(0, pair.indexOf('=')),
        pair.slice(pair.indexOf('=') + 1),
      ]
      if (/Max-Age=0\b/.test(line)) jar.delete(name)
      else jar.set(name, value)
    }
    return response
  }

  /** Follows redirects like a browser; returns the final response and the hops taken. */
  async navigate(
    url: string,
    init: RequestInit = {},
  ): Promise<{ response: Response; hops: string[] }> {
    let response = await this.fetch(url, init)
    let current = url
    const hops: string[] = []
    while (response.status >= 300 && response.status < 400) {
      current = new URL(response.headers.get('location')!, current).href
      hops.push(current)
      if (hops.length > 10) throw new Error(`redirect loop: ${hops.join(' → ')}`)
      response = await this.fetch(current)
    }
    return { response, hops }
  }
}

const form = (body: string, origin: string): RequestInit => ({
  method: 'POST',
  headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
  body,
})

export interface ScenarioOptions {
  /** The adapter's requireSession takes core's options (401 JSON, `where`, 503 while the store is down). */
  guards?: boolean
}

/** A store that can be taken down and brought back, as a Redis outage would. */
function switchableStore(inner: SessionStore, outage: { down: boolean }): SessionStore {
  return new Proxy(inner, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver)
      if (typeof value !== 'function') return value
      return (...args: unknown[]) =>
        outage.down
          ? Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379'))
          : value.apply(target, args)
    },
  })
}

/** Registers the scenario table for one adapter. */
export function runAdapterScenarios(
  name: string,
  build: BuildApps,
  scenarioOptions: ScenarioOptions = {},
): void {
  describe(`adapter scenarios: ${name}`, () => {
    let apps: AdapterApps
    const syncKey = generateSyncKey()
    const outage = { down: false }
    beforeAll(async () => {
      const store = switchableStore(createMemoryStore(), outage)
      const host = createShareHost({
        syncKey,
        appUrl: HOST_ORIGIN,
        knownRemotes: [REMOTE_ORIGIN],
        store,
      })
      const remote = createShareRemote({
        syncKey,
        appUrl: REMOTE_ORIGIN,
        hostUrl: HOST_ORIGIN,
        store,
      })
      apps = await build({ host, remote })
    })
    afterAll(async () => apps?.close())

    /** Signs in at the remote through the host's login, as a person would. */
    async function signIn(browser: Browser) {
      const first = await browser.navigate(`${REMOTE_ORIGIN}/private`)
      expect(first.response.status).toBe(200) // the host app has no login page: the hops end at it
      const loginHop = first.hops.at(-1)!
      expect(loginHop).toMatch(/^http:\/\/idp\.localhost:4000\/login\?next=/)
      const next = new URL(loginHop).searchParams.get('next')!
      return browser.navigate(
        `${HOST_ORIGIN}/login`,
        form(`next=${encodeURIComponent(next)}`, HOST_ORIGIN),
      )
    }

    it('redirects a request without a session to the host, with a state cookie', async () => {
      const browser = new Browser(apps)
      const response = await browser.fetch(`${REMOTE_ORIGIN}/private`)
      expect(response.status).toBe(302)
      expect(response.headers.get('location')).toMatch(
        /^http:\/\/idp\.localhost:4000\/share\/authorize\?callback=/,
      )
      expect(response.headers.get('set-cookie')).toMatch(
        /^share_state=.*; Path=\/; HttpOnly; SameSite=Lax; Max-Age=600$/,
      )
      expect(response.headers.get('cache-control')).toBe('no-store')
    })

    it('signs in through the host and reaches the page, in at most 3 hops per navigation', async () => {
      const browser = new Browser(apps)
      const { response, hops } = await signIn(browser)
      expect(await response.text()).toBe('hello alice')
      expect(hops.length).toBeLessThanOrEqual(3)
      expect(hops.at(-1)).toBe(`${REMOTE_ORIGIN}/private`)
      expect(await (await browser.fetch(`${REMOTE_ORIGIN}/public`)).text()).toBe('hi alice')
      expect(await (await browser.fetch(`${HOST_ORIGIN}/whoami`)).text()).toBe('alice')
    })

    /** Walks a sign-in up to the host's redirect back; returns the callback URL with its token. */
    async function callbackWithToken(browser: Browser): Promise<string> {
      const first = await browser.navigate(`${REMOTE_ORIGIN}/private`)
      const next = new URL(first.hops.at(-1)!).searchParams.get('next')!
      const body = `next=${encodeURIComponent(next)}`
      const login = await browser.fetch(`${HOST_ORIGIN}/login`, form(body, HOST_ORIGIN))
      const handOff = await browser.fetch(new URL(login.headers.get('location')!, HOST_ORIGIN).href)
      return handOff.headers.get('location')!
    }

    it('sets the session cookie with the right attributes on the redemption redirect', async () => {
      const browser = new Browser(apps)
      const redeemed = await browser.fetch(await callbackWithToken(browser))
      expect(redeemed.status).toBe(303)
      expect(redeemed.headers.get('location')).toBe('/private')
      expect(redeemed.headers.get('referrer-policy')).toBe('no-referrer')
      expect(redeemed.headers.getSetCookie()[0]).toMatch(
        /^share_session=[\w-]{49}\.[\w-]{52}; Path=\/; HttpOnly; SameSite=Lax$/,
      )
    })

    it('refuses a token replayed in another browser with a 403 page, not a redirect', async () => {
      const callback = await callbackWithToken(new Browser(apps))
      const stolen = await new Browser(apps).fetch(callback)
      expect(stolen.status).toBe(403)
      expect(stolen.headers.get('location')).toBeNull()
      const body = await stolen.text()
      expect(body).toContain('ERR_TOKEN_STATE')
      expect(body).not.toContain(new URL(callback).searchParams.get('token'))
    })

    it('shows nobody on a public page without a session', async () => {
      expect(await (await new Browser(apps).fetch(`${REMOTE_ORIGIN}/public`)).text()).toBe('anon')
    })

    it('logs out at the remote with a same-origin POST, and refuses one from elsewhere', async () => {
      const browser = new Browser(apps)
      await signIn(browser)
      const foreign = await browser.fetch(
        `${REMOTE_ORIGIN}/share/logout`,
        form('', 'https://evil.example'),
      )
      expect(foreign.status).toBe(403)
      expect(await (await browser.fetch(`${REMOTE_ORIGIN}/public`)).text()).toBe('hi alice')
      const out = await browser.fetch(
        `${REMOTE_ORIGIN}/share/logout`,
        form('everywhere=1', REMOTE_ORIGIN),
      )
      expect([out.status, out.headers.get('location')]).toEqual([303, '/'])
      expect(await (await browser.fetch(`${REMOTE_ORIGIN}/public`)).text()).toBe('anon')
      expect(await (await browser.fetch(`${HOST_ORIGIN}/whoami`)).text()).toBe('anon')
    })

    it('marks every host page unframeable', async () => {
      const response = await new Browser(apps).fetch(`${HOST_ORIGIN}/whoami`)
      expect(response.headers.get('content-security-policy')).toBe("frame-ancestors 'none'")
    })

    it('answers 400 for a correctly signed hand-off to an unknown callback, never a redirect', async () => {
      // Signed with the real key, so only the allow-list can refuse it.
      const callback = encodeCallback('https://evil.example/share/callback')
      const state = 'Zx81Qw0LmN3pR5tV7yB9dF'
      const t = Math.floor(Date.now() / 1000)
      const signed = `${callback}.${state}.${t}` // what a remote signs: callback, state, time
      const checksum = await createChecksum(await createKeyring(syncKey), signed)
      const response = await new Browser(apps).fetch(
        `${HOST_ORIGIN}/share/authorize?callback=${callback}&state=${state}&t=${t}&checksum=${checksum}`,
      )
      expect(response.status).toBe(400)
      expect(response.headers.get('location')).toBeNull()
      expect(await response.text()).toContain('ERR_CALLBACK_NOT_ALLOWED')
    })

    it.each([
      '//private',
      '/PRIVATE',
      '/%70rivate',
      '/./private',
      '/private/',
      '/private;x',
      '/private?x=1#y',
    ])('a path variant %s never reaches the protected page without a session', async (variant) => {
      const response = await new Browser(apps).fetch(`${REMOTE_ORIGIN}${variant}`)
      const body = await response.text()
      // Not found, or the sign-in redirect: never the page behind requireSession.
      expect(body).not.toContain('hello')
      expect([302, 404]).toContain(response.status)
    })

    it('marks every page served with a session no-store, and leaves anonymous pages alone', async () => {
      const anonymous = await new Browser(apps).fetch(`${REMOTE_ORIGIN}/public`)
      expect(anonymous.headers.get('cache-control')).toBeNull()
      const browser = new Browser(apps)
      await signIn(browser)
      for (const url of [
        `${REMOTE_ORIGIN}/private`,
        `${REMOTE_ORIGIN}/public`,
        `${HOST_ORIGIN}/whoami`,
      ]) {
        const page = await browser.fetch(url)
        expect([url, page.status, page.headers.get('cache-control')]).toEqual([
          url,
          200,
          'no-store',
        ])
      }
    })

    describe.runIf(scenarioOptions.guards === true)('requireSession with core options', () => {
      it('answers an API call without a session 401 JSON, not a redirect', async () => {
        for (const headers of [{ accept: 'application/json' }, { 'sec-fetch-dest': 'empty' }]) {
          const response = await new Browser(apps).fetch(`${REMOTE_ORIGIN}/private`, { headers })
          expect(response.status).toBe(401)
          expect(response.headers.get('location')).toBeNull()
          expect(response.headers.get('content-type')).toMatch(/^application\/json/)
          expect(await response.json()).toMatchObject({ error: { code: 'ERR_SESSION_REQUIRED' } })
        }
      })

      it('refuses a session its where predicate refuses with 403, and lets the right one in', async () => {
        const browser = new Browser(apps)
        await signIn(browser)
        const admin = await browser.fetch(`${REMOTE_ORIGIN}/admin`)
        expect(admin.status).toBe(403)
        expect(await admin.text()).toContain('ERR_FORBIDDEN')
        expect((await browser.fetch(`${REMOTE_ORIGIN}/private`)).status).toBe(200)
      })

      it('keeps public pages working while the store is down; protected ones answer 503', async () => {
        const browser = new Browser(apps)
        await signIn(browser)
        outage.down = true
        try {
          const page = await browser.fetch(`${REMOTE_ORIGIN}/public`)
          expect([page.status, await page.text()]).toEqual([200, 'anon'])
          const guarded = await browser.fetch(`${REMOTE_ORIGIN}/private`)
          expect(guarded.status).toBe(503)
          expect(guarded.headers.get('location')).toBeNull()
        } finally {
          outage.down = false
        }
        // Back: the session was never lost.
        expect(await (await browser.fetch(`${REMOTE_ORIGIN}/private`)).text()).toBe('hello alice')
      })
    })
  })
}
