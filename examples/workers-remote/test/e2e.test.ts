// The Worker under `wrangler dev` (workerd), joined to the demo host, in real Chromium. The
// demo host and its two remotes run on Redis; the Worker reaches the same Redis through the
// Upstash shim (REST), with the same key prefix, so they share sessions as a Worker on Upstash
// would. Redis is a server of this test's own: the demo's key prefix is fixed, and "log out
// everywhere" for alice must not touch anyone else's demo on the shared Redis.
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
import { startWrangler, type Wrangler } from './wrangler.ts'

const PORTS = { host: 4410, a: 4411, b: 4412, worker: 4413, inspector: 4414 }
const WORKER = `http://app-workers.localhost:${PORTS.worker}`

let redis: TestServer
let shim: UpstashShim
let demo: Awaited<ReturnType<typeof createDemo>>
let wrangler: Wrangler | undefined
let browser: Browser
const contexts: BrowserContext[] = []

beforeAll(async () => {
  redis = await startServer()
  shim = await startUpstashShim({ redisUrl: redis.url })
  const syncKey = generateSyncKey()
  demo = await createDemo({
    ports: { host: PORTS.host, a: PORTS.a, b: PORTS.b },
    syncKey,
    storeUrl: redis.url,
    extraRemotes: [{ name: 'Workers', url: WORKER }],
  })
  wrangler = await startWrangler({
    config: 'wrangler.jsonc',
    port: PORTS.worker,
    inspectorPort: PORTS.inspector,
    host: new URL(WORKER).host,
    vars: {
      SHARE_APP_URL: WORKER,
      SHARE_HOST_URL: demo.urls.host,
      UPSTASH_REDIS_REST_URL: shim.url,
      SHARE_STORE_PREFIX: DEMO_STORE_PREFIX,
    },
    secrets: { SHARE_SYNC_KEY: syncKey, UPSTASH_REDIS_REST_TOKEN: shim.token },
    ready: { path: '/', status: 302 },
    logLevel: 'log', // the audit log's lines are the Worker's console.log
  })
  browser = await launchChromium()
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await wrangler?.stop()
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

async function submitLogin(page: Page, username = 'alice'): Promise<void> {
  await page.fill('input[name=username]', username)
  await page.fill('input[name=password]', username)
  await Promise.all([page.waitForNavigation(), page.click('button:has-text("Sign in")')])
}

async function signInAtWorker(page: Page): Promise<void> {
  await page.goto(WORKER)
  expect(page.url()).toContain(`${demo.urls.host}/login?next=`)
  await submitLogin(page)
  expect(page.url()).toBe(`${WORKER}/`)
  expect(await page.locator('#user').textContent()).toBe('alice')
}

describe('the Worker (wrangler dev) joined to the demo host, in Chromium', () => {
  it('sends an anonymous visitor to the host login and comes back signed in', async () => {
    const page = await newPage()
    await signInAtWorker(page)
    expect(await page.locator('h1').textContent()).toBe('Hello, Alice Example')
    // The audit log (the logger option): the redemption is a JSON line on the Worker's console.
    await expect
      .poll(() => auditEntries(wrangler!.log))
      .toContainEqual(expect.objectContaining({ type: 'token.redeemed', app: WORKER }))
    expect(wrangler!.log).not.toMatch(/token=[\w-]{20,}/)
    // Already signed in at the host: App A needs no second login.
    await page.goto(demo.urls.a)
    expect(page.url()).toBe(`${demo.urls.a}/`)
  })

  it('signs out on the next request once the device is revoked at the host', async () => {
    const page = await newPage()
    await signInAtWorker(page)
    await page.goto(`${demo.urls.host}/sessions`)
    const row = page.locator('tr', { hasText: '(this device)' })
    expect(await row.textContent()).toContain(WORKER)
    await Promise.all([page.waitForNavigation(), row.locator('button:has-text("Revoke")').click()])
    await page.goto(WORKER)
    expect(page.url()).toContain(`${demo.urls.host}/login`)
  })

  it('logs out everywhere from the Worker: the host and the other remotes sign out', async () => {
    const page = await newPage()
    await signInAtWorker(page)
    await page.goto(demo.urls.a)
    await page.goto(demo.urls.b)
    expect(page.url()).toBe(`${demo.urls.b}/`)
    await page.goto(WORKER)
    await Promise.all([
      page.waitForNavigation(),
      page.click('button:has-text("Log out everywhere")'),
    ])
    // Back at the Worker's `/`, which needs a session: straight on to the host's login.
    expect(page.url()).toContain(`${demo.urls.host}/login?next=`)
    for (const app of [demo.urls.a, demo.urls.b, `${demo.urls.host}/sessions`]) {
      await page.goto(app)
      expect(page.url()).toContain(`${demo.urls.host}/login`)
    }
  })

  it('serves concurrent requests of other request contexts from the one remote of the isolate', async () => {
    const page = await newPage()
    await signInAtWorker(page)
    const cookies = await page.context().cookies(WORKER)
    const cookie = cookies.map(({ name, value }) => `${name}=${value}`).join('; ')
    const answers = await Promise.all(Array.from({ length: 40 }, () => wrangler!.get('/', cookie)))
    expect(answers.map((answer) => answer.status)).toEqual(Array(40).fill(200))
    expect(answers.every((answer) => answer.body.includes('<span id="user">alice</span>'))).toBe(
      true,
    )
  })
})
