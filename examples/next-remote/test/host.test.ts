// The host side on Next: node-host/ (proxy.ts on Node, Share's host endpoints in a Route
// Handler, the app's own login in another, sessions in Redis) built with `next build` and run
// with `next start`. A remote made of @share/core alone, in this process, on the same Redis,
// signs in through it in real Chromium.
import { type ServerType, serve } from '@hono/node-server'
import { createShareRemote, generateSyncKey } from '@share/core'
import { redisStore } from '@share/store-redis'
import { auditEntries } from '@share/test-utils/audit-log'
import { launchChromium } from '@share/test-utils/chromium'
import { Redis } from 'ioredis'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type TestServer } from '../../../packages/store-redis/test/servers.ts'
import { APP_DIR, nextBuild, nextStart, type RunningApp, raw } from './harness.ts'

const PORTS = { host: 4330, remote: 4331 }
const HOST_URL = `http://idp-next.localhost:${PORTS.host}`
const REMOTE_URL = `http://app-core-next.localhost:${PORTS.remote}`
const PREFIX = 'share-next-host:'
const syncKey = generateSyncKey()

let redis: TestServer
let client: Redis
let host: RunningApp
let remoteServer: ServerType
let browser: Browser

beforeAll(async () => {
  ;[redis] = await Promise.all([startServer(), nextBuild(`${APP_DIR}/node-host`)])
  host = await nextStart(
    PORTS.host,
    {
      SHARE_SYNC_KEY: syncKey,
      SHARE_APP_URL: HOST_URL,
      SHARE_KNOWN_REMOTES: REMOTE_URL,
      SHARE_STORE_URL: redis.url,
      SHARE_STORE_PREFIX: PREFIX,
    },
    `${APP_DIR}/node-host`,
  )
  client = new Redis(redis.url)
  const remote = createShareRemote({
    syncKey,
    appUrl: REMOTE_URL,
    hostUrl: HOST_URL,
    store: redisStore({ client, prefix: PREFIX }),
  })
  await new Promise<void>((resolve) => {
    remoteServer = serve(
      {
        port: PORTS.remote,
        hostname: '127.0.0.1',
        fetch: async (request) => {
          const outcome = await remote.handle(request)
          if (outcome.type === 'respond') return outcome.response
          await outcome.pending
          if (!outcome.session) return remote.loginRedirect(request)
          const page = `<p id="user">${outcome.session.userId}</p>
<form method="post" action="/share/logout"><input type="hidden" name="everywhere" value="1"><button>Log out everywhere</button></form>`
          return new Response(page, { headers: { 'content-type': 'text/html' } })
        },
      },
      () => resolve(),
    )
  })
  browser = await launchChromium()
}, 180_000)

afterAll(async () => {
  await browser?.close()
  await new Promise((resolve) => (remoteServer ? remoteServer.close(resolve) : resolve(undefined)))
  client?.disconnect()
  await host?.stop()
  await redis?.stop()
})

async function signIn(page: Page, username: string, password = username): Promise<void> {
  await page.goto(`${REMOTE_URL}/private`)
  expect(page.url()).toContain(`${HOST_URL}/login?next=`)
  await page.fill('input[name=username]', username)
  await page.fill('input[name=password]', password)
  await Promise.all([page.waitForNavigation(), page.click('button:has-text("Sign in")')])
}

describe('a Share host on Next (Route Handlers, proxy.ts, Redis)', () => {
  it('signs a remote in through its Route Handler and its own login, then logs out everywhere', async () => {
    const context = await browser.newContext()
    try {
      const page = await context.newPage()
      await signIn(page, 'alice')
      expect(page.url()).toBe(`${REMOTE_URL}/private`)
      expect(await page.locator('#user').textContent()).toBe('alice')
      // The host's audit log (the logger option): the token it issued, as a JSON line.
      await expect
        .poll(() => auditEntries(host.output()))
        .toContainEqual(expect.objectContaining({ type: 'token.issued', app: HOST_URL }))
      // A Server Component at the host reads the host session.
      await page.goto(HOST_URL)
      expect(await page.locator('#user').textContent()).toBe('alice')
      await Promise.all([
        page.waitForNavigation(),
        page.click('button:has-text("Log out everywhere")'),
      ])
      await page.goto(HOST_URL)
      expect(await page.locator('#anon').count()).toBe(1)
      await page.goto(`${REMOTE_URL}/private`)
      expect(page.url()).toContain(`${HOST_URL}/login`)
    } finally {
      await context.close()
    }
  })

  it('keeps a wrong password at the login page, signed out', async () => {
    const context = await browser.newContext()
    try {
      const page = await context.newPage()
      await signIn(page, 'alice', 'wrong')
      expect(page.url()).toContain(`${HOST_URL}/login?error=1`)
      expect(await page.locator('#error').count()).toBe(1)
    } finally {
      await context.close()
    }
  })

  it('answers a hand-off to an unknown callback with 400, never a redirect', async () => {
    const response = await raw(
      PORTS.host,
      'GET',
      '/share/authorize?callback=aHR0cHM6Ly9ldmlsLmV4YW1wbGU&state=s&checksum=c',
      { host: `idp-next.localhost:${PORTS.host}` },
    )
    expect(response.status).toBe(400)
    expect(response.headers.location).toBeUndefined()
  })

  it("marks the host's pages unframeable (core's headers through the proxy)", async () => {
    const response = await raw(PORTS.host, 'GET', '/', { host: `idp-next.localhost:${PORTS.host}` })
    expect(response.status).toBe(200)
    expect(response.headers['content-security-policy']).toBe("frame-ancestors 'none'")
  })
})
