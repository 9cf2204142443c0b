// The demo's Hono remote on Bun and on Deno, in real Chromium: log in at the
// host, reach the remote signed in, log out everywhere, signed out at both.
// Memory store: host and remote in one runtime process. Redis: the demo host in
// Node (this process), the remote in Bun or Deno, one Redis of this test's own.
import { existsSync, readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { generateSyncKey } from '@share/core'
import { createDemo, DEMO_STORE_PREFIX } from '@share/example-demo/src/start.mjs'
import { launchChromium } from '@share/test-utils/chromium'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { assertBuilt, type Runtime, type Server, startRedis, startServer } from './runtimes.ts'

const REDIS_PORT = 4599
let browser: Browser

beforeAll(async () => {
  assertBuilt()
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
})

/**
 * One browser context's whole journey against a remote and its host, as two
 * steps that share the page (the second needs the first's sign-in).
 */
function journey(remoteUrl: string, hostUrl: () => string, nodeRemoteUrl?: () => string) {
  let page: Page
  it('logs in at the host and reaches the remote signed in', async () => {
    const context = await browser.newContext()
    context.setDefaultTimeout(5_000) // a broken flow fails in seconds, not at the test timeout
    page = await context.newPage()
    await page.goto(remoteUrl)
    expect(page.url()).toContain(`${hostUrl()}/login?next=`)
    await page.fill('input[name=username]', 'alice')
    await page.fill('input[name=password]', 'alice')
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("Sign in")')])
    expect(page.url()).toBe(`${remoteUrl}/`)
    expect(await page.locator('#user').textContent()).toBe('alice')
    if (nodeRemoteUrl) {
      // The same sign-in carries on to the demo's own remote in Node: no second login.
      await page.goto(nodeRemoteUrl())
      expect(page.url()).toBe(`${nodeRemoteUrl()}/`)
      expect(await page.locator('#user').textContent()).toBe('alice')
      await page.goto(remoteUrl)
    }
  })

  it('logs out everywhere from the remote: signed out at the remote and at the host', async () => {
    expect(page, 'the sign-in step ran first').toBeDefined()
    await Promise.all([
      page.waitForNavigation(),
      page.click('button:has-text("Log out everywhere")'),
    ])
    await page.goto(remoteUrl)
    expect(page.url()).toContain(`${hostUrl()}/login`)
    await page.goto(`${hostUrl()}/sessions`)
    expect(page.url()).toContain(`${hostUrl()}/login`)
    if (nodeRemoteUrl) {
      await page.goto(nodeRemoteUrl())
      expect(page.url()).toContain(`${hostUrl()}/login`)
    }
    await page.context().close()
  })
}

const MEMORY: { runtime: Runtime; name: string; host: number; remote: number }[] = [
  { runtime: 'bun', name: 'Bun', host: 4510, remote: 4511 },
  { runtime: 'deno', name: 'Deno', host: 4520, remote: 4521 },
]

describe.each(MEMORY)('$name, memory store: host and remote in one $name process', (run) => {
  const hostUrl = `http://idp.localhost:${run.host}`
  const remoteUrl = `http://app-${run.runtime}.localhost:${run.remote}`
  let server: Server | undefined

  beforeAll(async () => {
    server = await startServer(`pair:${run.runtime}`, {
      SHARE_SYNC_KEY: generateSyncKey(),
      SHARE_HOST_URL: hostUrl,
      SHARE_APP_URL: remoteUrl,
      HOST_PORT: String(run.host),
      PORT: String(run.remote),
    })
  })
  afterAll(async () => {
    await server?.stop()
  })

  journey(remoteUrl, () => hostUrl)
})

describe('Redis: the demo host in Node, the remote in Bun and in Deno', () => {
  const remotes = [
    { runtime: 'bun' as const, name: 'Bun', port: 4533 },
    { runtime: 'deno' as const, name: 'Deno', port: 4534 },
  ].map((remote) => ({ ...remote, url: `http://app-${remote.runtime}.localhost:${remote.port}` }))
  const syncKey = generateSyncKey()
  const storeUrl = `redis://127.0.0.1:${REDIS_PORT}`
  let redis: Server | undefined
  let demo: Awaited<ReturnType<typeof createDemo>> | undefined
  const servers: Server[] = []

  beforeAll(async () => {
    redis = await startRedis(REDIS_PORT)
    demo = await createDemo({
      ports: { host: 4530, a: 4531, b: 4532 },
      syncKey,
      storeUrl,
      extraRemotes: remotes.map(({ name, url }) => ({ name, url })),
    })
    for (const remote of remotes) {
      servers.push(
        await startServer(`remote:${remote.runtime}`, {
          SHARE_SYNC_KEY: syncKey,
          SHARE_HOST_URL: demo.urls.host,
          SHARE_APP_URL: remote.url,
          SHARE_STORE_URL: storeUrl,
          // Bun on the default prefix (the demo's), Deno told it explicitly: both must match.
          ...(remote.runtime === 'deno' ? { SHARE_STORE_PREFIX: DEMO_STORE_PREFIX } : {}),
          PORT: String(remote.port),
        }),
      )
    }
  })
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()))
    await demo?.close()
    await redis?.stop()
  })

  describe.each(remotes)('$name remote on ioredis', (remote) => {
    journey(
      remote.url,
      () => demo!.urls.host,
      () => demo!.urls.a,
    )
  })

  it("Deno's npm:ioredis came from the workspace node_modules: nothing downloaded", () => {
    const npmCache = fileURLToPath(new URL('../.deno/npm', import.meta.url))
    expect(existsSync(npmCache) ? readdirSync(npmCache) : []).toEqual([])
  })
})
