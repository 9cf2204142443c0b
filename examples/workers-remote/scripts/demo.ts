// The demo with this Worker joined: the host and remotes A and B (examples/demo) on Redis, the
// Upstash-compatible shim over the same Redis, and the Worker under wrangler dev on it. Run by
// scripts/demo.mjs. Ports: SHARE_DEMO_PORT_BASE (default 4000) for the host, +1 and +2 for
// A and B, +4 for the Worker, +5 for its inspector.
import { generateSyncKey } from '@share/core'
import { startUpstashShim } from '../../../packages/store-upstash/test/shim/upstash-shim.ts'
import { createDemo, DEMO_STORE_PREFIX } from '../../demo/src/start.mjs'
import { startWrangler } from '../test/wrangler.ts'

const base = Number(process.env.SHARE_DEMO_PORT_BASE ?? 4000)
const storeUrl = process.env.SHARE_STORE_URL || 'redis://127.0.0.1:6379'
const syncKey = process.env.SHARE_SYNC_KEY ?? generateSyncKey()
const worker = `http://app-workers.localhost:${base + 4}`

const shim = await startUpstashShim({ redisUrl: storeUrl })
const demo = await createDemo({
  ports: { host: base, a: base + 1, b: base + 2 },
  syncKey,
  storeUrl,
  extraRemotes: [{ name: 'Workers', url: worker }],
})
const wrangler = await startWrangler({
  ...(process.env.SHARE_WORKERS_REMOTE_DIR
    ? { packageDir: process.env.SHARE_WORKERS_REMOTE_DIR }
    : {}),
  config: 'wrangler.jsonc',
  port: base + 4,
  inspectorPort: base + 5,
  host: new URL(worker).host,
  vars: {
    SHARE_APP_URL: worker,
    SHARE_HOST_URL: demo.urls.host,
    UPSTASH_REDIS_REST_URL: shim.url,
    SHARE_STORE_PREFIX: DEMO_STORE_PREFIX,
  },
  secrets: { SHARE_SYNC_KEY: syncKey, UPSTASH_REDIS_REST_TOKEN: shim.token },
  ready: { path: '/', status: 302 },
}).catch(async (error) => {
  await demo.close()
  await shim.close()
  throw error
})

console.log(`
Share demo on Redis at ${storeUrl}, with a Cloudflare Worker (wrangler dev):

  Host (login, sessions)  ${demo.urls.host}
  App A (Hono)            ${demo.urls.a}
  App B (Express)         ${demo.urls.b}
  Workers remote          ${worker}

Open ${worker} and sign in as alice / alice. Press Ctrl+C to stop.`)

let stopping = false
async function stop() {
  if (stopping) return
  stopping = true
  await wrangler.stop()
  await demo.close()
  await shim.close()
  process.exit(0)
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
