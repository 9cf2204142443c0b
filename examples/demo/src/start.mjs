// @ts-check
// The demo in one process: the host on :4000 and two remotes on :4001 (Hono)
// and :4002 (Express), all on one embedded store (or Redis with
// SHARE_STORE_URL=redis://...). Run it with `npm run demo` from the repository root.

import { pathToFileURL } from 'node:url'
import { serve } from '@hono/node-server'
import { createShareHost, createShareRemote, generateSyncKey } from '@share/core'
import { storeFromUrl } from '@share/store-url'
import { createHostApp } from './host.mjs'
import { createRemoteA } from './remote-a.mjs'
import { createRemoteB } from './remote-b.mjs'

/** The key prefix of the demo's sessions in Redis: a remote on another runtime must use the same. */
export const DEMO_STORE_PREFIX = 'share-demo:'

/**
 * Starts the three apps; resolves once they listen.
 * `extraRemotes` are more remote apps (on Next.js, Workers, Bun, Deno...) that run elsewhere
 * and join this host: it hands them tokens and links to them. They share the store, so they
 * need `storeUrl` (Redis), the same key and DEMO_STORE_PREFIX. `SHARE_DEMO_EXTRA_REMOTES`
 * (comma-separated `name=url` pairs) adds them from the environment.
 * `storePrefix` (default DEMO_STORE_PREFIX) lets concurrent runs share one Redis apart.
 * @param {{ ports?: { host?: number, a?: number, b?: number }, syncKey?: string, storeUrl?: string,
 *   storePrefix?: string, extraRemotes?: { name: string, url: string }[],
 *   logger?: import('@share/core').AuditLogger }} [options]
 */
export async function createDemo(options = {}) {
  const ports = { host: 4000, a: 4001, b: 4002, ...options.ports }
  const urls = {
    host: `http://idp.localhost:${ports.host}`,
    a: `http://app-a.localhost:${ports.a}`,
    b: `http://app-b.localhost:${ports.b}`,
  }
  const syncKey = options.syncKey ?? process.env.SHARE_SYNC_KEY ?? generateSyncKey()
  // Unset: the embedded memory store. Otherwise any URL @share/store-url takes (redis://...).
  const opened = storeFromUrl(options.storeUrl || process.env.SHARE_STORE_URL || 'memory:', {
    prefix: options.storePrefix ?? DEMO_STORE_PREFIX,
  })
  const { store, close: closeStore } = opened
  const extraRemotes = options.extraRemotes ?? remotesFromEnv(process.env.SHARE_DEMO_EXTRA_REMOTES)
  const host = createShareHost({
    syncKey,
    appUrl: urls.host,
    knownRemotes: [urls.a, urls.b, ...extraRemotes.map((remote) => remote.url)],
    store,
    sessionsPage: true,
    ...(options.logger ? { logger: options.logger } : {}),
  })
  const audit = options.logger ? { logger: options.logger } : {}
  const remoteA = createShareRemote({
    syncKey,
    appUrl: urls.a,
    hostUrl: urls.host,
    store,
    ...audit,
  })
  const remoteB = createShareRemote({
    syncKey,
    appUrl: urls.b,
    hostUrl: urls.host,
    store,
    ...audit,
  })
  // Keys are derived lazily; deriving them now makes a bad key fail at start-up.
  await Promise.all([host.ready(), remoteA.ready(), remoteB.ready()])

  const hostApp = createHostApp(host, {
    remotes: [{ name: 'App A', url: urls.a }, { name: 'App B', url: urls.b }, ...extraRemotes],
  })
  const appA = createRemoteA(remoteA, { host: urls.host, other: { name: 'App B', url: urls.b } })
  const appB = createRemoteB(remoteB, { host: urls.host, other: { name: 'App A', url: urls.a } })

  // Loopback only: *.localhost names resolve to this machine in browsers.
  const listen = (/** @type {(done: () => void) => import('node:http').Server} */ start) =>
    new Promise((resolve, reject) => {
      const server = start(() => resolve(server))
      server.once('error', reject)
    })
  const servers = /** @type {import('node:http').Server[]} */ (
    await Promise.all([
      listen(
        (done) =>
          /** @type {any} */ (
            serve({ fetch: hostApp.fetch, port: ports.host, hostname: '127.0.0.1' }, done)
          ),
      ),
      listen(
        (done) =>
          /** @type {any} */ (
            serve({ fetch: appA.fetch, port: ports.a, hostname: '127.0.0.1' }, done)
          ),
      ),
      listen((done) => appB.listen(ports.b, '127.0.0.1', done)),
    ])
  )
  return {
    urls,
    syncKey,
    store,
    /** Where the sessions live, without credentials: safe to print. */
    storeLocation: opened.location,
    close: async () => {
      await Promise.all(
        servers.map((server) => new Promise((resolve) => server.close(() => resolve(undefined)))),
      )
      await closeStore()
    },
  }
}

/** `Next=http://app-next.localhost:4003,Workers=http://...` → [{ name, url }]. */
function remotesFromEnv(/** @type {string | undefined} */ text) {
  return (text ?? '')
    .split(',')
    .map((pair) => pair.trim())
    .filter(Boolean)
    .map((pair) => {
      const [name = '', url = ''] = pair.includes('=') ? pair.split('=', 2) : [pair, pair]
      return { name, url }
    })
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // The audit log: one JSON line per event (sign-in, tokens, revocations), never a secret.
  const logger = { info: (/** @type {object} */ entry) => console.log(JSON.stringify(entry)) }
  const demo = await createDemo({ logger }).catch((error) => {
    console.error(`The demo could not start: ${error.message}`)
    if (error.code === 'EADDRINUSE')
      console.error('Ports 4000-4002 must be free; is another demo running?')
    process.exit(1)
  })
  // The location has no password in it, whatever SHARE_STORE_URL held.
  const store = process.env.SHARE_STORE_URL ? demo.storeLocation : 'the embedded memory store'
  console.log(`
Share demo running on ${store}:

  Host (login, sessions)  ${demo.urls.host}
  App A (Hono)            ${demo.urls.a}
  App B (Express)         ${demo.urls.b}

Open ${demo.urls.a} and sign in as alice / alice (or bob / bob), then open App B:
no second login. ${demo.urls.host}/sessions lists your devices and the apps they reached.
Press Ctrl+C to stop.`)
  const stop = () => demo.close().then(() => process.exit(0))
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}
