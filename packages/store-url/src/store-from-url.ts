import { resolve as resolvePath } from 'node:path'
import { createMemoryStore, ShareError } from '@share/core'
import type { SessionRecord, SessionStore } from '@share/core/store'
import { redisStore } from '@share/store-redis'
import { unstorageStore } from '@share/store-unstorage'
import { createUpstashClient, upstashStore } from '@share/store-upstash'
import { Cluster, Redis, type RedisOptions } from 'ioredis'
import { createStorage, type Storage } from 'unstorage'
import fsDriver from 'unstorage/drivers/fs'
import { fsRecords, redisRecords, upstashRecords } from './records.js'

export type StoreKind = 'redis' | 'redis-cluster' | 'upstash' | 'fs' | 'memory'

/** The URL forms {@link storeFromUrl} accepts, as its error messages list them. */
export const ACCEPTED_SCHEMES = [
  'redis://',
  'rediss://',
  'redis+cluster://',
  'rediss+cluster://',
  'upstash+https://',
  'https://<name>.upstash.io',
  'fs:<path>',
  'memory:',
] as const

export interface StoreFromUrlOptions {
  /** Key prefix of every store kind but memory. @default each store's own, 'share:' */
  prefix?: string | undefined
  /** Where the Upstash token is read (`UPSTASH_REDIS_REST_TOKEN`). @default process.env */
  env?: Readonly<Record<string, string | undefined>> | undefined
  /** How long `ready()` waits for Redis to answer, in milliseconds. @default 5000 */
  connectTimeoutMs?: number | undefined
}

/** A store opened from a URL, with what tools need to name it and to release it. */
export interface OpenedStore {
  readonly kind: StoreKind
  readonly store: SessionStore
  /** The URL without user name, password or token: safe to print. */
  readonly location: string
  /** The key prefix in use. */
  readonly prefix: string
  /** `redis` and `redis-cluster`: the ioredis client (for tools that scan the prefix). */
  readonly redis?: Redis | Cluster
  /** `fs`: the unstorage storage over the directory. */
  readonly storage?: Storage
  /** `fs`: the absolute directory. */
  readonly directory?: string
  /**
   * Every session record under the prefix, expired ones included, read by
   * the backend's own layout (SCAN on Redis, every master of a cluster, and
   * Upstash; the directory on fs, plain prefixes only). For tools that
   * count; absent for `memory:`, whose records no other process can see.
   */
  readonly records?: () => AsyncIterable<SessionRecord>
  /**
   * Resolves once the backend can take commands (Redis: connected; others at
   * once); rejects with `ERR_STORE_UNAVAILABLE`. Calls made before Redis is
   * connected fail fast rather than queue, so one-shot tools await this first.
   */
  ready(): Promise<void>
  /** Releases connections and handles; the store is unusable after. */
  close(): Promise<void>
}

const DEFAULT_PREFIX = 'share:'

/**
 * Opens a session store from a URL (see the module comment for the forms).
 * Synchronous: Redis connects in the background, with fail-fast client
 * options (no offline queue, one retry per request). A bad URL throws
 * `ERR_CONFIG_INVALID` naming the scheme and the accepted ones; no message
 * ever repeats a password or token from the URL.
 *
 * Exported from `@share/store-url`.
 */
export function storeFromUrl(url: string, options: StoreFromUrlOptions = {}): OpenedStore {
  if (typeof url !== 'string' || url.trim() === '') {
    invalid(`the store URL is empty; use one of ${ACCEPTED_SCHEMES.join(', ')}`)
  }
  const text = url.trim()
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(text)?.[1]?.toLowerCase()
  if (scheme === undefined) {
    invalid(`the store URL has no scheme; use one of ${ACCEPTED_SCHEMES.join(', ')}`)
  }
  const prefix = options.prefix ?? DEFAULT_PREFIX
  switch (scheme) {
    case 'redis':
    case 'rediss':
      return openRedis(text, scheme, prefix, options)
    case 'redis+cluster':
    case 'rediss+cluster':
      return openCluster(text, scheme, prefix, options)
    case 'upstash+https':
    case 'upstash+http':
    case 'https':
      return openUpstash(text, scheme, prefix, options)
    case 'fs':
      return openFs(text, prefix)
    case 'memory':
      return openMemory(text)
    default:
      invalid(
        `the store URL scheme "${scheme.slice(0, 32)}:" is not supported; use one of ${ACCEPTED_SCHEMES.join(', ')}`,
      )
  }
}

function invalid(detail: string): never {
  throw new ShareError('ERR_CONFIG_INVALID', { detail })
}

/** Fail-fast client options: calls fail while the server is away instead of queueing. */
const FAIL_FAST: RedisOptions = { enableOfflineQueue: false, maxRetriesPerRequest: 1 }

function openRedis(
  text: string,
  scheme: string,
  prefix: string,
  options: StoreFromUrlOptions,
): OpenedStore {
  let parsed: URL
  try {
    parsed = new URL(text)
  } catch {
    invalid(
      `the ${scheme}:// store URL does not parse; expected ${scheme}://[user:password@]host[:port][/db]`,
    )
  }
  if (parsed.hostname === '') invalid(`the ${scheme}:// store URL has no host`)
  const db = parsed.pathname.replace(/^\//, '')
  if (db !== '' && !/^\d{1,2}$/.test(db)) {
    invalid(`the ${scheme}:// store URL path must be a database number, such as /0`)
  }
  const location = `${scheme}://${parsed.host}${db === '' ? '' : `/${db}`}`
  const client = new Redis(text, FAIL_FAST)
  const store = redisStore({ client, prefix })
  return redisOpened('redis', store, client, location, prefix, options)
}

function openCluster(
  text: string,
  scheme: string,
  prefix: string,
  options: StoreFromUrlOptions,
): OpenedStore {
  const rest = text.slice(scheme.length + 3)
  if (!text.slice(scheme.length).startsWith('://')) {
    invalid(`a cluster URL looks like ${scheme}://[user:password@]host1:port1,host2:port2`)
  }
  const at = rest.lastIndexOf('@')
  const userInfo = at >= 0 ? rest.slice(0, at) : ''
  const hostList = (at >= 0 ? rest.slice(at + 1) : rest).replace(/\/$/, '')
  const nodes = hostList.split(',').map((seed) => parseSeed(seed, scheme))
  const [user = '', password = ''] = userInfo.includes(':')
    ? [userInfo.slice(0, userInfo.indexOf(':')), userInfo.slice(userInfo.indexOf(':') + 1)]
    : [userInfo, '']
  const redisOptions: RedisOptions = {
    maxRetriesPerRequest: 1,
    ...(user === '' ? {} : { username: decodeURIComponent(user) }),
    ...(password === '' ? {} : { password: decodeURIComponent(password) }),
    ...(scheme === 'rediss+cluster' ? { tls: {} } : {}),
  }
  const client = new Cluster(nodes, { enableOfflineQueue: false, redisOptions })
  const store = redisStore({ client, prefix })
  const location = `${scheme}://${nodes.map((node) => `${node.host}:${node.port}`).join(',')}`
  return redisOpened('redis-cluster', store, client, location, prefix, options)
}

function parseSeed(seed: string, scheme: string): { host: string; port: number } {
  const match = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(seed)
  const port = Number(match?.[2] ?? 6379)
  if (!match || port < 1 || port > 65535) {
    invalid(
      `a ${scheme}:// seed is not host:port (seed ${seed === '' ? 'is empty' : 'is malformed'}); expected ${scheme}://host1:port1,host2:port2`,
    )
  }
  return { host: match[1]!.replace(/^\[|\]$/g, ''), port }
}

function redisOpened(
  kind: 'redis' | 'redis-cluster',
  store: SessionStore,
  client: Redis | Cluster,
  location: string,
  prefix: string,
  options: StoreFromUrlOptions,
): OpenedStore {
  let lastError: string | undefined
  // The store answers ERR_STORE_UNAVAILABLE while Redis is away: no crash, no log flood.
  client.on('error', (error: unknown) => {
    lastError = (error as { code?: string }).code ?? 'connection error'
  })
  const timeoutMs = options.connectTimeoutMs ?? 5000
  return {
    kind,
    store,
    location,
    prefix,
    redis: client,
    records: () => redisRecords(client, prefix),
    ready: () =>
      new Promise<void>((resolve, reject) => {
        if (client.status === 'ready') return resolve()
        const done = (error?: string) => {
          clearTimeout(timer)
          client.off('ready', onReady)
          client.off('error', onError)
          if (error === undefined) return resolve()
          reject(
            new ShareError('ERR_STORE_UNAVAILABLE', {
              detail: `cannot reach ${location} (${error}); is the server running?`,
            }),
          )
        }
        const onReady = () => done()
        const onError = (error: unknown) =>
          done((error as { code?: string }).code ?? lastError ?? 'connection error')
        const timer = setTimeout(() => done(lastError ?? `no answer in ${timeoutMs} ms`), timeoutMs)
        client.on('ready', onReady)
        client.on('error', onError)
      }),
    close: async () => {
      await store.dispose?.()
      client.disconnect()
    },
  }
}

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/

function openUpstash(
  text: string,
  scheme: string,
  prefix: string,
  options: StoreFromUrlOptions,
): OpenedStore {
  const httpUrl = scheme.startsWith('upstash+') ? text.slice('upstash+'.length) : text
  let parsed: URL
  try {
    parsed = new URL(httpUrl)
  } catch {
    invalid(`the ${scheme}:// store URL does not parse; expected upstash+https://<name>.upstash.io`)
  }
  if (scheme === 'https' && !parsed.hostname.endsWith('.upstash.io')) {
    invalid(
      `an https:// store URL must be an Upstash REST URL (https://<name>.upstash.io); for another REST host write upstash+https://host. Accepted: ${ACCEPTED_SCHEMES.join(', ')}`,
    )
  }
  if (scheme === 'upstash+http' && !LOOPBACK.test(parsed.hostname)) {
    invalid('upstash+http:// is only for loopback hosts (tests); use upstash+https://')
  }
  if (parsed.username !== '' || parsed.password !== '') {
    invalid('put the Upstash token in UPSTASH_REDIS_REST_TOKEN, not in the store URL')
  }
  const env = options.env ?? process.env
  const token = env.UPSTASH_REDIS_REST_TOKEN
  if (token === undefined || token === '') {
    invalid('an Upstash store URL needs its token in UPSTASH_REDIS_REST_TOKEN')
  }
  const restUrl = `${parsed.protocol}//${parsed.host}`
  const client = createUpstashClient(restUrl, token)
  const store = upstashStore({ client, prefix })
  return {
    kind: 'upstash',
    store,
    location: scheme === 'https' ? restUrl : `upstash+${restUrl}`,
    prefix,
    records: () => upstashRecords(client, prefix),
    ready: async () => {},
    close: async () => {
      await store.dispose?.()
    },
  }
}

function openFs(text: string, prefix: string): OpenedStore {
  let path = text.slice('fs:'.length)
  if (path.startsWith('//')) {
    // fs:///abs/dir has an empty host; fs://host/... names a host, which has no meaning here.
    if (!path.startsWith('///'))
      invalid('an fs: store URL takes no host; write fs:///abs/dir or fs:./dir')
    path = path.slice(2)
  }
  try {
    path = decodeURIComponent(path)
  } catch {
    invalid('the fs: store URL has a malformed %-escape')
  }
  if (path === '') invalid('the fs: store URL needs a directory, such as fs:./sessions')
  const directory = resolvePath(path)
  const storage = createStorage({ driver: fsDriver({ base: directory }) })
  const store = unstorageStore({ storage, prefix, nativeTtl: false })
  return {
    kind: 'fs',
    store,
    location: `fs:${directory}`,
    prefix,
    storage,
    directory,
    records: () => fsRecords(storage, prefix),
    ready: async () => {},
    close: async () => {
      await store.dispose?.()
      await storage.dispose()
    },
  }
}

function openMemory(text: string): OpenedStore {
  if (text.toLowerCase() !== 'memory:') invalid('a memory store URL is just memory:')
  const store = createMemoryStore()
  return {
    kind: 'memory',
    store,
    location: 'memory:',
    prefix: '',
    ready: async () => {},
    close: async () => {
      await store.dispose?.()
    },
  }
}
