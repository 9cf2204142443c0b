// The quickstart as a person runs it: the Hono host and the Express remote of the READMEs in two
// separate Node processes on one Redis, driven in real Chromium: sign in, log out everywhere.
import { type ChildProcess, spawn } from 'node:child_process'
import { request } from 'node:http'
import { fileURLToPath } from 'node:url'
import { generateSyncKey } from '@share/core'
import { launchChromium } from '@share/test-utils/chromium'
import { Redis } from 'ioredis'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
const HOST = 'http://host.localhost:4695'
const REMOTE = 'http://app-express.localhost:4696'
const prefix = `snippets-2p-${crypto.randomUUID().slice(0, 8)}:`
const children: ChildProcess[] = []
let browser: Browser

/** `node --conditions=@share/source --import tsx <file>`: the TypeScript file as it is. */
function start(file: string, env: Record<string, string>): ChildProcess {
  const child = spawn(
    process.execPath,
    [
      '--conditions=@share/source',
      '--import',
      'tsx',
      fileURLToPath(new URL(file, import.meta.url)),
    ],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] },
  )
  let errors = ''
  child.stderr!.on('data', (chunk) => {
    errors += chunk
  })
  child.on('exit', (code) => {
    if (code && code !== 0) console.error(`${file} exited ${code}: ${errors}`)
  })
  children.push(child)
  return child
}

/**
 * Resolves once something answers HTTP on the port (any status). 50 s: under CI's full parallel
 * test run on 2 cores, a server once did not answer within 20 s (still starting, not exited).
 * A child that exits fails the wait at once, naming the port.
 */
async function listening(port: number, host: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 50_000
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`the server for ${port} exited (${child.exitCode})`)
    const up = await new Promise<boolean>((resolve) => {
      const req = request({ host: '127.0.0.1', port, path: '/', headers: { host } }, (res) => {
        res.resume()
        resolve(true)
      })
      req.on('error', () => resolve(false))
      req.end()
    })
    if (up) return
    if (Date.now() > deadline) throw new Error(`nothing listens on ${port}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

beforeAll(async () => {
  const shared = { SHARE_SYNC_KEY: generateSyncKey(), REDIS_URL, SHARE_STORE_PREFIX: prefix }
  const host = start('../src/hono-host.ts', {
    ...shared,
    PORT: '4695',
    SHARE_APP_URL: HOST,
    SHARE_KNOWN_REMOTES: REMOTE,
  })
  const remote = start('../src/express-remote.ts', {
    ...shared,
    PORT: '4696',
    SHARE_APP_URL: REMOTE,
    SHARE_HOST_URL: HOST,
  })
  await Promise.all([
    listening(4695, 'host.localhost:4695', host),
    listening(4696, 'app-express.localhost:4696', remote),
  ])
  browser = await launchChromium()
}, 90_000)

afterAll(async () => {
  await browser?.close()
  for (const child of children) child.kill('SIGTERM')
  const redis = new Redis(REDIS_URL)
  const keys = await redis.keys(`${prefix}*`) // only this run's keys
  if (keys.length > 0) await redis.del(...keys)
  redis.disconnect()
})

it('signs in once at the host process, lands at the remote process, logs out everywhere', async () => {
  const page = await (await browser.newContext()).newPage()
  await page.goto(`${REMOTE}/`)
  expect(page.url()).toMatch(/^http:\/\/host\.localhost:4695\/login\?next=/)
  await page.fill('input[name=username]', 'alice')
  await page.fill('input[name=password]', 'alice')
  await page.click('button')
  await page.waitForURL(`${REMOTE}/`)
  expect(await page.textContent('body')).toMatch(/Hello alice/)
  await page.click('text=Log out everywhere')
  await page.waitForURL(/host\.localhost:4695\/login/)
  // Signed out at the host too: its sessions list needs a login again.
  await page.goto(`${HOST}/sessions`)
  expect(page.url()).toMatch(/\/login\?next=%2Fsessions/)
}, 60_000)
