// Every store side by side: resolve() of a remote's linked session (child +
// parent) per second, Redis commands per resolve and per touch (from INFO
// commandstats), and bytes per session (MEMORY USAGE), beside express-session
// + connect-redis doing the per-request store work of an authenticated request
// (unsign the cookie, GET, and the EXPIRE its touch sends), in the same run.
// Redis here is a server of our own on a spare port, so resetting its
// statistics disturbs nobody.

import {
  createMemoryStore,
  createSessionEngine,
  generateSyncKey,
  type ResolveResult,
  type SessionEngine,
} from '@share/core'
import { SESSION_ID_LENGTH, type SessionStore } from '@share/core/store'
import { createKeys, redisStore } from '@share/store-redis'
import { unstorageStore } from '@share/store-unstorage'
import { upstashStore } from '@share/store-upstash'
import { RedisStore } from 'connect-redis'
import signature from 'cookie-signature'
import { Redis } from 'ioredis'
import { createClient } from 'redis'
import { createStorage } from 'unstorage'
import redisDriver from 'unstorage/drivers/redis'
import { afterAll, beforeAll, it } from 'vitest'
import { runTable } from '../../../bench-table.ts'
import { startServer, type TestServer } from '../../store-redis/test/servers.ts'
import { startUpstashShim, type UpstashShim } from '../../store-upstash/test/shim/upstash-shim.ts'

const AUDIENCE = 'https://app-a.example.com'
let server: TestServer
let shim: UpstashShim
let ioredis: Redis
const cleanups: (() => Promise<unknown> | unknown)[] = []

beforeAll(async () => {
  server = await startServer()
  ioredis = new Redis(server.url)
  shim = await startUpstashShim({ redisUrl: server.url })
})

afterAll(async () => {
  for (const cleanup of cleanups) await cleanup()
  ioredis?.disconnect()
  await shim?.close()
  await server?.stop()
})

interface Subject {
  name: string
  engine: SessionEngine
  cookie: string
  hostCookie: string
}

async function subject(name: string, store: SessionStore, touchIntervalSec = 60): Promise<Subject> {
  const engine = createSessionEngine({
    syncKey: generateSyncKey(),
    store,
    session: { allowNonAtomicStore: true, touchIntervalSec },
  })
  const host = await engine.create({
    userId: `bench-${name}`,
    user: { name: 'Bench User', roles: ['member'] },
  })
  const remote = await engine.link({ hostSessionId: host.session.id, audience: AUDIENCE })
  await engine.resolve(remote.cookie, { audience: AUDIENCE }) // loads scripts, warms the MAC cache
  return { name, engine, cookie: remote.cookie, hostCookie: host.cookie }
}

function stores(prefix: string): [string, SessionStore][] {
  const unstorageRedis = createStorage({
    driver: redisDriver({ url: server.url, base: `${prefix}u` }),
  })
  cleanups.push(() => unstorageRedis.dispose())
  return [
    ['memory (core)', createMemoryStore()],
    ['redis (ioredis, Lua)', redisStore({ client: ioredis, prefix: `${prefix}r:` })],
    [
      'upstash (REST, through the local shim)',
      upstashStore({ url: shim.url, token: shim.token, prefix: `${prefix}up:` }),
    ],
    ['unstorage (memory driver)', unstorageStore({ storage: createStorage() })],
    ['unstorage (redis driver)', unstorageStore({ storage: unstorageRedis, nativeTtl: true })],
  ]
}

/** express-session's per-request store work for a signed-in user, on connect-redis. */
async function expressSessionSubject() {
  const client = createClient({ url: server.url })
  await client.connect()
  cleanups.push(() => client.quit())
  const store = new RedisStore({ client, prefix: 'bench-es:' })
  const secret = 'a-session-secret-for-the-benchmark-only'
  const sid = 'qvFO2yX0ZCQn7Jq3f5Ubd9yzfFb1kQ4V'
  const session = {
    cookie: {
      originalMaxAge: 43_200_000,
      expires: new Date(Date.now() + 43_200_000),
      httpOnly: true,
      path: '/',
    },
    user: { id: 'bench', name: 'Bench User', roles: ['member'] },
  }
  await store.set(sid, session as never)
  const cookie = `s:${signature.sign(sid, secret)}`
  return {
    store,
    request: async () => {
      const unsigned = signature.unsign(cookie.slice(2), secret)
      if (unsigned === false) throw new Error('bad cookie')
      const loaded = await store.get(unsigned)
      await store.touch(unsigned, loaded) // express-session touches every unmodified session (resave: false)
    },
  }
}

/** Calls per command name on our server since the last RESETSTAT. */
async function commandCalls(): Promise<Record<string, number>> {
  const stats = await ioredis.info('commandstats')
  return Object.fromEntries(
    [...stats.matchAll(/cmdstat_([\w|]+):calls=(\d+)/g)].map(([, name, count]) => [
      name!,
      Number(count),
    ]),
  )
}

const settled = (result: ResolveResult) => (result.ok ? result.pending : undefined)

async function perRequest(run: () => Promise<unknown>, n = 1000): Promise<string> {
  await ioredis.config('RESETSTAT')
  for (let i = 0; i < n; i++) await run()
  const calls = await commandCalls()
  return Object.entries(calls)
    .filter(([name]) => !name.startsWith('config'))
    .map(([name, count]) => `${name} ${(count / n).toFixed(2)}`)
    .join(', ')
}

it('stores: resolve throughput, commands per request, bytes per session', async () => {
  const prefix = `bench-${Date.now()}:`
  const subjects = await Promise.all(stores(prefix).map(([name, store]) => subject(name, store)))
  const expressSession = await expressSessionSubject()

  await runTable(
    `resolve() of a remote's linked session, per store (Node ${process.version}, Redis 7 on loopback)`,
    [
      ...subjects.map((s) => ({
        name: s.name,
        fn: () => s.engine.resolve(s.cookie, { audience: AUDIENCE }),
      })),
      { name: 'express-session + connect-redis: unsign, GET, touch', fn: expressSession.request },
    ],
    { baseline: 'redis (ioredis, Lua)', rounds: 5 },
  )

  // Commands per request on the Redis server, between touch intervals and with a touch every time.
  const redisBacked = subjects.filter((s) => !s.name.includes('memory'))
  console.log(
    '\nRedis commands per authenticated request. INFO commandstats also counts what a Lua script',
  )
  console.log(
    'runs: one EVALSHA is one round trip; the hget/hmget beside it ran inside that script.\n',
  )
  console.log(
    '| per authenticated request | between touch intervals | with a touch (interval passed) |',
  )
  console.log('| --- | --- | --- |')
  for (const s of redisBacked) {
    const touching = await subject(
      `${s.name}-touch`,
      stores(`${prefix}t:`).find(([name]) => name === s.name)![1],
      0,
    )
    const between = await perRequest(() => s.engine.resolve(s.cookie, { audience: AUDIENCE }))
    // The touch write comes back as `pending`: wait for it, as the adapters do.
    const touched = await perRequest(
      () => touching.engine.resolve(touching.cookie, { audience: AUDIENCE }).then(settled),
      300,
    )
    console.log(`| ${s.name} | ${between} | ${touched} |`)
  }
  const esCalls = await perRequest(expressSession.request)
  console.log(`| express-session + connect-redis | ${esCalls} | (touches every request) |`)

  // Bytes in Redis for one signed-in user with one remote (redis store), and for express-session.
  const keys = createKeys(`${prefix}r:`)
  const redisSubject = subjects.find((s) => s.name.startsWith('redis'))!
  const host = await redisSubject.engine.resolve(redisSubject.hostCookie)
  if (!host.ok) throw new Error('bench session vanished')
  const [hostBytes, linkedBytes, indexBytes, childrenBytes, esBytes] = await Promise.all([
    ioredis.memory('USAGE', keys.record(host.session.id)),
    // A cookie value is `<session id>.<MAC>`.
    ioredis.memory('USAGE', keys.record(redisSubject.cookie.slice(0, SESSION_ID_LENGTH))),
    ioredis.memory('USAGE', keys.user(host.userId)),
    ioredis.memory('USAGE', keys.children(host.session.id)),
    ioredis.memory('USAGE', 'bench-es:qvFO2yX0ZCQn7Jq3f5Ubd9yzfFb1kQ4V'),
  ])
  console.log('\n| bytes in Redis (MEMORY USAGE) | bytes |')
  console.log('| --- | ---: |')
  console.log(`| host session record (hash, with user data and one remote) | ${hostBytes} |`)
  console.log(`| linked session record (hash) | ${linkedBytes} |`)
  console.log(`| user index (set, one member) | ${indexBytes} |`)
  console.log(`| children set (one member) | ${childrenBytes} |`)
  console.log(`| express-session + connect-redis session (string) | ${esBytes} |`)
})
