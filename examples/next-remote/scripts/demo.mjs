// `pnpm --filter @share/example-next-remote demo`: the demo's host and remotes A and B on Redis,
// and this app's Node variant (node-proxy/: proxy.ts, @share/store-redis) built and started
// beside them as a third remote, listed on the host's home page. Ports: SHARE_DEMO_PORT_BASE
// (default 4000) for the host, +1 and +2 for A and B, +3 for the Next app. Redis:
// SHARE_STORE_URL (default redis://127.0.0.1:6379). Ctrl+C stops everything.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const repo = join(root, '..', '..')
const appDir = join(root, 'node-proxy')
const next = join(root, 'node_modules', '.bin', 'next')
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', TURBO_TELEMETRY_DISABLED: '1' }

// Node and Next load the workspace packages' dist/, not their sources.
const needed = ['packages/core', 'packages/store-redis', 'adapters/next', 'adapters/hono']
const missing = needed.filter((dir) => !existsSync(join(repo, dir, 'dist', 'index.js')))
if (missing.length > 0) {
  console.error(`Build the packages first (${missing.join(', ')} have no dist/):
  pnpm turbo run build --filter=@share/example-next-remote^... --filter=@share/example-demo^...`)
  process.exit(1)
}

const base = Number(process.env.SHARE_DEMO_PORT_BASE ?? 4000)
const storeUrl = process.env.SHARE_STORE_URL ?? 'redis://127.0.0.1:6379'
const nextUrl = `http://app-next.localhost:${base + 3}`

console.log('Building the Next app (next build)...')
const build = spawnSync(next, ['build'], {
  cwd: appDir,
  env,
  stdio: ['ignore', 'ignore', 'inherit'],
})
if (build.status !== 0) process.exit(build.status ?? 1)

const { createDemo, DEMO_STORE_PREFIX } = await import('../../demo/src/start.mjs')
const demo = await createDemo({
  ports: { host: base, a: base + 1, b: base + 2 },
  storeUrl,
  extraRemotes: [{ name: 'Next (proxy.ts)', url: nextUrl }],
}).catch((error) => {
  console.error(`The demo could not start: ${error.message}`)
  process.exit(1)
})
const app = spawn(next, ['start', '-p', String(base + 3), '-H', '127.0.0.1'], {
  cwd: appDir,
  env: {
    ...env,
    SHARE_SYNC_KEY: demo.syncKey,
    SHARE_APP_URL: nextUrl,
    SHARE_HOST_URL: demo.urls.host,
    SHARE_STORE_URL: storeUrl,
    SHARE_STORE_PREFIX: DEMO_STORE_PREFIX,
  },
  stdio: ['ignore', 'ignore', 'inherit'],
})

let stopping = false
async function stop(code) {
  if (stopping) return
  stopping = true
  if (app.exitCode === null) {
    await new Promise((resolve) => {
      app.once('exit', resolve)
      app.kill('SIGTERM')
    })
  }
  await demo.close()
  process.exit(code)
}
app.once('exit', (code) => {
  if (!stopping) {
    console.error(`next start exited (${code})`)
    void stop(1)
  }
})
process.on('SIGINT', () => void stop(0))
process.on('SIGTERM', () => void stop(0))

console.log(`
Share demo on Redis at ${storeUrl}, with a Next remote:

  Host (login, sessions)  ${demo.urls.host}
  App A (Hono)            ${demo.urls.a}
  App B (Express)         ${demo.urls.b}
  Next (proxy.ts, Node)   ${nextUrl}

Open ${nextUrl}/private and sign in as alice / alice. Press Ctrl+C to stop.`)
