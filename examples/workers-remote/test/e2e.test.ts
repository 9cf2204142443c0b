// The Worker under `wrangler dev` (workerd), joined to the demo host, in real Chromium. The
// demo host and its two remotes run on Redis; the Worker reaches the same Redis through the
// Upstash shim (REST), with the same key prefix, so they share sessions as a Worker on Upstash
// would. Redis is a server of this test's own: the demo's key prefix is fixed, and "log out
// everywhere" for alice must not touch anyone else's demo on the shared Redis.
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { generateSyncKey } from '@share/core'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type TestServer } from '../../../packages/store-redis/test/servers.ts'
import {
  startUpstashShim,
  type UpstashShim,
} from '../../../packages/store-upstash/test/shim/upstash-shim.ts'
import { createDemo, DEMO_STORE_PREFIX } from '../../demo/src/start.mjs'

const PORTS = { host: 4410, a: 4411, b: 4412, worker: 4413, inspector: 4414 }
const WORKER = `http://app-workers.localhost:${PORTS.worker}`
const HERE = fileURLToPath(new URL('..', import.meta.url))
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

let redis: TestServer
let shim: UpstashShim
let demo: Awaited<ReturnType<typeof createDemo>>
let wrangler: ChildProcess | undefined
let wranglerLog = ''
let temp: string
let browser: Browser
const contexts: BrowserContext[] = []

/** One GET to the Worker over loopback with its Host header (Node cannot resolve *.localhost). */
function get(path: string, cookie?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { host: new URL(WORKER).host }
    if (cookie) headers.cookie = cookie
    const req = httpRequest({ host: '127.0.0.1', port: PORTS.worker, path, headers }, (res) => {
      let body = ''
      res.on('data', (chunk) => {
        body += chunk
      })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.once('error', reject)
    req.end()
  })
}

const probe = async (path: string) => (await get(path)).status

/** Starts `wrangler dev`; the secrets go in a .dev.vars file of a temp dir, never the repo. */
async function startWrangler(syncKey: string): Promise<void> {
  const devVars = join(temp, '.dev.vars')
  writeFileSync(devVars, `SHARE_SYNC_KEY=${syncKey}\nUPSTASH_REDIS_REST_TOKEN=${shim.token}\n`, {
    mode: 0o600,
  })
  const vars = {
    SHARE_APP_URL: WORKER,
    SHARE_HOST_URL: demo.urls.host,
    UPSTASH_REDIS_REST_URL: shim.url,
    SHARE_STORE_PREFIX: DEMO_STORE_PREFIX,
  }
  wrangler = spawn(
    join(HERE, 'node_modules', '.bin', 'wrangler'),
    [
      'dev',
      '--config',
      join(HERE, 'wrangler.jsonc'),
      '--ip',
      '127.0.0.1',
      '--port',
      String(PORTS.worker),
      '--inspector-port',
      String(PORTS.inspector),
      '--env-file',
      devVars,
      '--persist-to',
      join(temp, 'state'),
      '--show-interactive-dev-session=false',
      '--log-level',
      'warn',
      ...Object.entries(vars).flatMap(([name, value]) => ['--var', `${name}:${value}`]),
    ],
    {
      cwd: HERE,
      detached: true, // its own process group: wrangler and the workerd it starts stop together
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        WRANGLER_SEND_METRICS: 'false',
        WRANGLER_LOG_PATH: join(temp, 'logs'),
        // Bundle the workspace packages from their sources: no build needed first.
        WRANGLER_BUILD_CONDITIONS: '@share/source,workerd,worker,browser',
      },
    },
  )
  for (const stream of [wrangler.stdout, wrangler.stderr]) {
    stream?.on('data', (chunk) => {
      wranglerLog += chunk
    })
  }
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    if (wrangler.exitCode !== null) break
    if ((await probe('/').catch(() => 0)) === 302) return
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`wrangler dev did not answer on port ${PORTS.worker}:\n${wranglerLog}`)
}

beforeAll(async () => {
  temp = mkdtempSync(join(tmpdir(), 'share-workers-e2e-'))
  redis = await startServer()
  shim = await startUpstashShim({ redisUrl: redis.url })
  const syncKey = generateSyncKey()
  demo = await createDemo({
    ports: { host: PORTS.host, a: PORTS.a, b: PORTS.b },
    syncKey,
    storeUrl: redis.url,
    extraRemotes: [{ name: 'Workers', url: WORKER }],
  })
  await startWrangler(syncKey)
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}, 60_000)

afterAll(async () => {
  await browser?.close()
  if (wrangler?.pid && wrangler.exitCode === null) {
    const exited = once(wrangler, 'exit')
    process.kill(-wrangler.pid, 'SIGTERM')
    await exited
  }
  await demo?.close()
  await shim?.close()
  await redis?.stop()
  rmSync(temp, { recursive: true, force: true })
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
    const answers = await Promise.all(Array.from({ length: 40 }, () => get('/', cookie)))
    expect(answers.map((answer) => answer.status)).toEqual(Array(40).fill(200))
    expect(answers.every((answer) => answer.body.includes('<span id="user">alice</span>'))).toBe(
      true,
    )
  })
})
