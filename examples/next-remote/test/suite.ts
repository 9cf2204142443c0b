// The tests every build of the example passes: `next build` once, `next start`, the demo
// host on a Redis of our own (its users and "log out everywhere" touch nobody else's), real
// Chromium, and raw HTTP for the requests a browser would normalise first.
import { generateSyncKey } from '@share/core'
import { auditEntries } from '@share/test-utils/audit-log'
import { launchChromium } from '@share/test-utils/chromium'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type TestServer } from '../../../packages/store-redis/test/servers.ts'
import {
  startUpstashShim,
  type UpstashShim,
} from '../../../packages/store-upstash/test/shim/upstash-shim.ts'
import { createDemo, DEMO_STORE_PREFIX } from '../../demo/src/start.mjs'
import { nextBuild, nextStart, type RunningApp, raw } from './harness.ts'

export interface SuiteOptions {
  /** How this build runs Share, for test names. */
  name: string
  /** The Next app's directory. */
  dir: string
  ports: { next: number; host: number; a: number; b: number }
  /** The store's environment for the app, given the test Redis and the Upstash shim over it. */
  storeEnv(stores: { redisUrl: string; upstash: UpstashShim }): Record<string, string>
  /** The app has /account (requireSession, a Server Action) and /api/me (a Route Handler). */
  extraPages: boolean
}

export function describeNextRemote(options: SuiteOptions): void {
  const PORTS = options.ports
  const NEXT_HOST = `app-next.localhost:${PORTS.next}`
  const NEXT_URL = `http://${NEXT_HOST}`

  let redis: TestServer
  let shim: UpstashShim
  let demo: Awaited<ReturnType<typeof createDemo>>
  let app: RunningApp
  let browser: Browser
  const contexts: BrowserContext[] = []
  const syncKey = generateSyncKey()

  beforeAll(async () => {
    // A Redis of our own: the demo's users (alice, bob) and "log out everywhere" touch nobody else's.
    ;[redis] = await Promise.all([startServer(), nextBuild(options.dir)])
    shim = await startUpstashShim({ redisUrl: redis.url })
    demo = await createDemo({
      ports: { host: PORTS.host, a: PORTS.a, b: PORTS.b },
      syncKey,
      storeUrl: redis.url,
      extraRemotes: [{ name: 'Next', url: NEXT_URL }],
    })
    app = await nextStart(
      PORTS.next,
      {
        SHARE_SYNC_KEY: syncKey,
        SHARE_APP_URL: NEXT_URL,
        SHARE_HOST_URL: demo.urls.host,
        SHARE_STORE_PREFIX: DEMO_STORE_PREFIX,
        ...options.storeEnv({ redisUrl: redis.url, upstash: shim }),
      },
      options.dir,
    )
    browser = await launchChromium()
  }, 180_000)

  afterAll(async () => {
    await browser?.close()
    await app?.stop()
    await demo?.close()
    await shim?.close()
    await redis?.stop()
  })

  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close()
  })

  async function newPage(): Promise<Page> {
    const context = await browser.newContext()
    contexts.push(context)
    return context.newPage()
  }

  /** Signs in at the host's form (the page must be showing it). */
  async function submitLogin(page: Page, username = 'alice'): Promise<void> {
    expect(page.url()).toContain(`${demo.urls.host}/login?next=`)
    await page.fill('input[name=username]', username)
    await page.fill('input[name=password]', username)
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("Sign in")')])
  }

  /** Anonymous → /private → the host's login → back at /private, signed in. */
  async function signInAtNext(page: Page): Promise<void> {
    await page.goto(`${NEXT_URL}/private`)
    await submitLogin(page)
    expect(page.url()).toBe(`${NEXT_URL}/private`)
    expect(await page.locator('#user').textContent()).toBe('alice')
  }

  const get = (path: string, headers: Record<string, string> = {}) =>
    raw(PORTS.next, 'GET', path, { host: NEXT_HOST, ...headers })

  describe(`Next remote (${options.name}) in Chromium`, () => {
    it('starts anonymous, signs in at the host, and comes back signed in', async () => {
      const page = await newPage()
      const redemptions: { status: number; location: string | null }[] = []
      page.on('response', (response) => {
        if (response.url().includes('/share/callback?')) {
          redemptions.push({
            status: response.status(),
            location: response.headers().location ?? null,
          })
        }
      })
      await page.goto(NEXT_URL)
      expect(await page.locator('#anon').count()).toBe(1)
      await signInAtNext(page)
      // One 303 to the wanted page: absolute from middleware (Next refuses a relative
      // Location there), core's relative one from a Route Handler.
      expect(redemptions.map((r) => [r.status, new URL(r.location ?? '', NEXT_URL).href])).toEqual([
        [303, `${NEXT_URL}/private`],
      ])
      // The audit log (the logger option): the redemption is a JSON line on the app's console.
      await expect
        .poll(() => auditEntries(app.output()))
        .toContainEqual(expect.objectContaining({ type: 'token.redeemed', app: NEXT_URL }))
      // A Server Component on the home page reads the same session through cookies().
      await page.goto(NEXT_URL)
      expect(await page.locator('#user').textContent()).toBe('alice')
      // The host's sessions page lists the Next app among the apps this device reached.
      await page.goto(`${demo.urls.host}/sessions`)
      expect(await page.locator('tr', { hasText: '(this device)' }).textContent()).toContain(
        NEXT_URL,
      )
    })

    // Only the edge build has these pages: registered there, absent (not skipped) elsewhere.
    const extra = options.extraPages ? it : () => {}

    extra(
      'gives the session to a Route Handler, a Server Action and requireSession()',
      async () => {
        const page = await newPage()
        await signInAtNext(page)
        const me = await page.goto(`${NEXT_URL}/api/me`)
        expect(await me?.json()).toEqual({ userId: 'alice' })
        await page.goto(`${NEXT_URL}/account`)
        expect(await page.locator('#user').textContent()).toBe('alice')
        await Promise.all([
          page.waitForURL(/\/action\?/),
          page.click('button:has-text("Ask a Server Action")'),
        ])
        expect(await page.locator('#action-user').textContent()).toBe('alice')
      },
    )

    extra(
      'sends an anonymous visitor of a requireSession() page to sign in, and back to it',
      async () => {
        const page = await newPage()
        await page.goto(`${NEXT_URL}/account`)
        await submitLogin(page, 'bob')
        expect(page.url()).toBe(`${NEXT_URL}/account`)
        expect(await page.locator('#user').textContent()).toBe('bob')
      },
    )

    it('is signed out on the next request after the device is revoked at the host', async () => {
      const page = await newPage()
      await signInAtNext(page)
      await page.goto(`${demo.urls.host}/sessions`)
      const row = page.locator('tr', { hasText: '(this device)' })
      await Promise.all([
        page.waitForNavigation(),
        row.locator('button:has-text("Revoke")').click(),
      ])
      await page.goto(NEXT_URL)
      expect(await page.locator('#anon').count()).toBe(1)
      await page.goto(`${NEXT_URL}/private`)
      expect(page.url()).toContain(`${demo.urls.host}/login`)
    })

    it('logs out everywhere from the Next app: the host and the other remotes sign out', async () => {
      const page = await newPage()
      await signInAtNext(page)
      await page.goto(demo.urls.a)
      expect(page.url()).toBe(`${demo.urls.a}/`)
      await page.goto(NEXT_URL)
      await Promise.all([
        page.waitForNavigation(),
        page.click('button:has-text("Log out everywhere")'),
      ])
      expect(page.url()).toBe(`${NEXT_URL}/`)
      expect(await page.locator('#anon').count()).toBe(1)
      for (const other of [demo.urls.a, demo.urls.b, `${demo.urls.host}/sessions`]) {
        await page.goto(other)
        expect(page.url()).toContain(`${demo.urls.host}/login`)
      }
    })
  })

  describe(`Next remote (${options.name}) over raw HTTP`, () => {
    it('sends a request without a session for /private to the host, with a state cookie', async () => {
      const response = await get('/private')
      expect(response.status).toBe(302)
      expect(response.headers.location).toMatch(
        new RegExp(`^${demo.urls.host}/share/authorize\\?callback=`),
      )
      expect(String(response.headers['set-cookie'])).toMatch(/^share_state=/)
    })

    it.each([
      '//private',
      '/PRIVATE',
      '/Private',
      '/%70rivate',
      '/%2570rivate',
      '/priv%61te',
      '/./private',
      '/x/../private',
      '/%2e/private',
      '/private/',
      '/private;x',
      '/private%3bx',
      '/private.json',
      '/private/.json',
      '/_next/data/x/private.json',
      '/_next/static/../private',
      '/_next/static/..%2fprivate',
      '/_next/static/%2e%2e/private',
      '/_next/image/../private',
      '/favicon.ico/../private',
      '/private?__nextDataReq=1',
      '/private?_rsc=1',
    ])('never shows the private page to %s without a session', async (path) => {
      const response = await get(path)
      expect(response.body).not.toContain('private-page')
      expect(response.status).not.toBe(200)
    })

    it.each([
      'middleware',
      'src/middleware',
      'middleware:middleware:middleware:middleware:middleware',
      'src/middleware:src/middleware:src/middleware:src/middleware:src/middleware',
      'proxy:proxy:proxy:proxy:proxy',
    ])('runs the middleware despite x-middleware-subrequest: %s', async (value) => {
      const response = await get('/private', { 'x-middleware-subrequest': value })
      expect(response.status).toBe(302)
      expect(response.headers.location).toContain(`${demo.urls.host}/share/authorize`)
      expect(response.body).not.toContain('private-page')
    })

    it('is nobody with forged session headers or a forged cookie; the bad cookie is cleared', async () => {
      const forged = {
        'x-share-session': JSON.stringify({ userId: 'alice', user: { name: 'Alice' } }),
        'x-share-user': 'alice',
        'x-middleware-override-headers': 'x-share-session',
        'x-middleware-request-x-share-session': '{"userId":"alice"}',
        cookie: 'share_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.forged',
      }
      const home = await get('/', forged)
      expect(home.body).toContain('id="anon"')
      expect(home.body).not.toContain('id="user"')
      // Core's headers of a `continue` outcome reach the response: the unknown cookie is dropped.
      expect(String(home.headers['set-cookie'])).toMatch(/^share_session=; .*Max-Age=0/)
      if (options.extraPages) {
        const me = await get('/api/me', forged)
        expect(JSON.parse(me.body)).toEqual({ userId: null })
      }
      const privatePage = await get('/private', forged)
      expect(privatePage.status).toBe(302)
    })

    it('answers a token it cannot redeem with a 403 page, never a redirect', async () => {
      const response = await get('/share/callback?token=not-a-token')
      expect(response.status).toBe(403)
      expect(response.headers.location).toBeUndefined()
    })

    it('refuses a cross-site logout POST', async () => {
      const response = await raw(
        PORTS.next,
        'POST',
        '/share/logout',
        {
          host: NEXT_HOST,
          origin: 'http://evil.localhost',
          'content-type': 'application/x-www-form-urlencoded',
        },
        'everywhere=1',
      )
      expect(response.status).toBe(403)
    })

    it('never prints the sync key or a token to its log', async () => {
      expect(app.output()).not.toContain(syncKey)
      expect(app.output()).not.toMatch(/token=[\w-]{20,}/)
    })
  })
}
