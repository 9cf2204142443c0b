// @ts-check
// Runtime-neutral: the demo's Hono apps built from an environment object
// (`process.env` on Bun, `Deno.env.toObject()` on Deno). The entries
// (bun-*.ts, deno-*.ts) only hand the apps' `fetch` to their runtime's server,
// and bring ioredis in the way their runtime imports npm packages.
import { createMemoryStore, createShareHost, createShareRemote, fromEnv } from '@share/core'
import { createHostApp } from '@share/example-demo/src/host.mjs'
import { createRemoteA } from '@share/example-demo/src/remote-a.mjs'
import { redisStore } from '@share/store-redis'

/** @typedef {Record<string, string | undefined>} Env */
/** @typedef {typeof import('ioredis').Redis} RedisClass */

/**
 * The Redis store named by SHARE_STORE_URL (redis://...) under SHARE_STORE_PREFIX;
 * its client connects on first use.
 * @param {Env} env
 * @param {RedisClass} Redis
 */
function redisFromEnv(env, Redis) {
  const url = env.SHARE_STORE_URL
  if (!url) {
    throw new Error(
      "SHARE_STORE_URL is not set: a remote on its own needs its host's store (redis://...); for the memory store run pair:bun or pair:deno",
    )
  }
  if (!/^rediss?:\/\//.test(url)) throw new Error('SHARE_STORE_URL must be a redis:// URL')
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 })
  client.on('error', () => {}) // the store answers 503 while Redis is away
  return { client, store: redisStore({ client, prefix: env.SHARE_STORE_PREFIX ?? 'share-demo:' }) }
}

/**
 * The demo's remote A (Hono, unchanged) on its host's Redis, from the environment:
 * SHARE_SYNC_KEY, SHARE_APP_URL, SHARE_HOST_URL, SHARE_STORE_URL, SHARE_STORE_PREFIX.
 * Settings and the key are checked before Redis is dialled; resolves once it answers.
 * @param {Env} env
 * @param {{ Redis: RedisClass }} clients ioredis's `Redis`, as the runtime imports it
 */
export async function remoteFromEnv(env, clients) {
  const settings = fromEnv(env, 'remote')
  const { client, store } = redisFromEnv(env, clients.Redis)
  const app = await remoteApp(settings, store)
  await client.ping()
  return { app, close: async () => void client.disconnect() }
}

/**
 * @param {import('@share/core').RemoteEnv} settings
 * @param {import('@share/core/store').SessionStore} store
 */
async function remoteApp(settings, store) {
  const remote = createShareRemote({ ...settings, store })
  await remote.ready() // a bad key fails here, at start-up
  return createRemoteA(remote, {
    host: settings.hostUrl,
    other: { name: 'Host', url: settings.hostUrl },
  })
}

/**
 * The demo's host and remote A in one process on one memory store (a memory
 * store cannot be shared across processes): the remote from the same
 * variables as above (not SHARE_STORE_URL), the host at SHARE_HOST_URL
 * with the remote as its one known remote.
 * @param {Env} env
 */
export async function pairFromEnv(env) {
  const store = createMemoryStore()
  const settings = fromEnv(env, 'remote')
  const { syncKey, appUrl, hostUrl } = settings
  // The demo host's devices page is Share's own (sessionsPage), as in createDemo.
  const host = createShareHost({
    syncKey,
    appUrl: hostUrl,
    knownRemotes: [appUrl],
    store,
    sessionsPage: true,
  })
  await host.ready()
  const hostApp = createHostApp(host, { remotes: [{ name: 'Remote', url: appUrl }] })
  return { host: hostApp, remote: await remoteApp(settings, store) }
}

/**
 * What the demo host's login reads for the client's IP
 * (`@hono/node-server/conninfo` reads `env.incoming.socket`): the entries
 * pass it as the app's env, from their runtime's own connection info.
 * @param {string | undefined} address
 * @param {number | undefined} port
 */
export function nodeStyleBindings(address, port) {
  return { incoming: { socket: { remoteAddress: address, remotePort: port } } }
}
