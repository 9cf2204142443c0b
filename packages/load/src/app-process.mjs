// @ts-check
// One of the demo's three apps in a process of its own (the demo runs all three
// in one; apart, each process's memory can be watched and the apps use both
// cores). Configured as the demo's createDemo configures them, on the store URL
// the parent passes. Started by apps.mjs with an IPC channel: it says `ready`,
// and answers `memory` with its usage after a full GC (so a slope is live data,
// not garbage waiting to be collected).
import { serve } from '@hono/node-server'
import { createShareHost, createShareRemote } from '@share/core'
import { createRemoteA } from '@share/example-demo/src/remote-a.mjs'
import { createRemoteB } from '@share/example-demo/src/remote-b.mjs'
import { storeFromUrl } from '@share/store-url'
import { createLoadHostFetch } from './host-app.mjs'

const role = process.argv[2]
const config = JSON.parse(process.env.SHARE_LOAD_CONFIG ?? '{}')
/** @type {{ host: string, a: string, b: string }} */
const urls = config.urls
/** @type {{ host: number, a: number, b: number }} */
const ports = config.ports
const { store } = storeFromUrl(config.storeUrl, { prefix: config.prefix })
const common = { syncKey: config.syncKey, store }

/** @returns {Promise<unknown>} */
async function start() {
  if (role === 'host') {
    const host = createShareHost({
      ...common,
      appUrl: urls.host,
      knownRemotes: [urls.a, urls.b],
      sessionsPage: true,
    })
    await host.ready()
    const fetch = createLoadHostFetch(host, {
      remotes: [
        { name: 'App A', url: urls.a },
        { name: 'App B', url: urls.b },
      ],
    })
    return listen((done) => serve({ fetch, port: ports.host, hostname: '127.0.0.1' }, done))
  }
  const remoteOf = (/** @type {string} */ appUrl) =>
    createShareRemote({ ...common, appUrl, hostUrl: urls.host })
  if (role === 'a') {
    const remote = remoteOf(urls.a)
    await remote.ready()
    const app = createRemoteA(remote, { host: urls.host, other: { name: 'App B', url: urls.b } })
    return listen((done) => serve({ fetch: app.fetch, port: ports.a, hostname: '127.0.0.1' }, done))
  }
  if (role === 'b') {
    const remote = remoteOf(urls.b)
    await remote.ready()
    const app = createRemoteB(remote, { host: urls.host, other: { name: 'App A', url: urls.a } })
    return listen((done) => app.listen(ports.b, '127.0.0.1', done))
  }
  throw new Error(`unknown app role ${role}`)
}

/** @param {(done: () => void) => any} begin */
function listen(begin) {
  return new Promise((resolve, reject) => {
    const server = begin(() => resolve(server))
    server.once('error', reject)
  })
}

function memory() {
  // --expose-gc is set by the parent; without it the figures include garbage.
  const gc = /** @type {any} */ (globalThis).gc
  if (typeof gc === 'function') gc()
  const usage = process.memoryUsage()
  return {
    rss: usage.rss,
    heapUsed: usage.heapUsed,
    external: usage.external,
    cpu: process.cpuUsage(),
  }
}

process.on('message', (message) => {
  if (/** @type {any} */ (message)?.type === 'memory') {
    process.send?.({ type: 'memory', id: /** @type {any} */ (message).id, ...memory() })
  }
})
process.on('disconnect', () => process.exit(0))

start().then(
  () => process.send?.({ type: 'ready' }),
  (error) => {
    process.send?.({ type: 'failed', message: String(error?.message ?? error) })
    process.exit(1)
  },
)
