// `pnpm --filter @share/example-next-remote demo` as a user runs it (its script's command line),
// on ports of this package's range and a Redis of the test's own: the host lists the Next
// app, the Next app sends an anonymous visitor to the host, and Ctrl+C stops everything.
import { type ChildProcess, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type TestServer } from '../../../packages/store-redis/test/servers.ts'
import { APP_DIR, raw } from './harness.ts'

const BASE = 4350
let redis: TestServer
let demo: ChildProcess
let output = ''

beforeAll(async () => {
  redis = await startServer()
  const script = JSON.parse(readFileSync(join(APP_DIR, 'package.json'), 'utf8')).scripts.demo
  const [command, ...args] = script.split(' ')
  demo = spawn(command, args, {
    cwd: APP_DIR,
    env: { ...process.env, SHARE_DEMO_PORT_BASE: String(BASE), SHARE_STORE_URL: redis.url },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  demo.stdout?.on('data', (chunk) => (output += chunk))
  demo.stderr?.on('data', (chunk) => (output += chunk))
  const deadline = Date.now() + 150_000
  while (!output.includes('Press Ctrl+C to stop.')) {
    if (demo.exitCode !== null) throw new Error(`the demo exited:\n${output}`)
    if (Date.now() > deadline) throw new Error(`the demo did not start:\n${output}`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}, 180_000)

afterAll(async () => {
  if (demo && demo.exitCode === null) {
    await new Promise((resolve) => {
      demo.once('exit', resolve)
      demo.kill('SIGKILL')
    })
  }
  await redis?.stop()
})

/** Waits for `next start` behind the demo to answer (it starts after the banner's processes). */
async function nextAnswers(path: string) {
  for (let attempt = 0; attempt < 100; attempt++) {
    const response = await raw(BASE + 3, 'GET', path, {
      host: `app-next.localhost:${BASE + 3}`,
    }).catch(() => null)
    if (response) return response
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`the Next app did not answer:\n${output}`)
}

describe('pnpm --filter @share/example-next-remote demo', () => {
  it('starts the host, lists the Next app there, and the Next app hands sign-in to the host', async () => {
    const home = await raw(BASE, 'GET', '/', { host: `idp.localhost:${BASE}` })
    expect(home.body).toContain(`http://app-next.localhost:${BASE + 3}`)
    const next = await nextAnswers('/private')
    expect(next.status).toBe(302)
    expect(next.headers.location).toContain(`http://idp.localhost:${BASE}/share/authorize?`)
  })

  it('stops every server on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => demo.once('exit', resolve))
    demo.kill('SIGTERM')
    expect(await exited).toBe(0)
    for (const port of [BASE, BASE + 1, BASE + 2, BASE + 3]) {
      await expect(raw(port, 'GET', '/', { host: 'localhost' })).rejects.toThrow()
    }
  })
})
