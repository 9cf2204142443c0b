// `pnpm --filter @share/example-workers-remote demo` (scripts/demo.mjs) starts the demo host,
// its two remotes and this Worker joined to them, and stops them all on SIGTERM.
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { request } from 'node:http'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { PACKAGE_DIR } from './wrangler.ts'

const BASE = 4430
let child: ChildProcess | undefined

afterAll(() => {
  // Only if the test failed midway: the whole process group this test started.
  if (child?.pid && child.exitCode === null && child.signalCode === null) {
    process.kill(-child.pid, 'SIGKILL')
  }
})

function get(port: number, host: string, path = '/') {
  return new Promise<{ status: number; location?: string; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      let body = ''
      res.on('data', (chunk) => {
        body += chunk
      })
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body,
          ...(res.headers.location ? { location: res.headers.location } : {}),
        }),
      )
    })
    req.once('error', reject)
    req.end()
  })
}

const isFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })

it('starts the demo with the Worker joined, and stops everything on SIGTERM', async () => {
  child = spawn(process.execPath, [join(PACKAGE_DIR, 'scripts', 'demo.mjs')], {
    cwd: PACKAGE_DIR,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      SHARE_DEMO_PORT_BASE: String(BASE),
      SHARE_STORE_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      WRANGLER_SEND_METRICS: 'false',
    },
  })
  let output = ''
  child.stdout?.on('data', (chunk) => {
    output += chunk
  })
  child.stderr?.on('data', (chunk) => {
    output += chunk
  })
  const exited = once(child, 'exit')
  const deadline = Date.now() + 45_000
  while (!output.includes('Press Ctrl+C') && Date.now() < deadline && child.exitCode === null) {
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  expect(output).toContain(`Workers remote          http://app-workers.localhost:${BASE + 4}`)

  // The host links to the Worker; the Worker sends a visitor to the host's hand-off.
  const home = await get(BASE, `idp.localhost:${BASE}`)
  expect(home.body).toContain(`http://app-workers.localhost:${BASE + 4}`)
  const visit = await get(BASE + 4, `app-workers.localhost:${BASE + 4}`)
  expect(visit.status).toBe(302)
  expect(visit.location).toMatch(new RegExp(`^http://idp\\.localhost:${BASE}/share/authorize\\?`))

  child.kill('SIGTERM')
  const [code] = await exited
  expect(code).toBe(0)
  for (const port of [BASE, BASE + 1, BASE + 2, BASE + 4]) expect(await isFree(port)).toBe(true)
}, 60_000)
