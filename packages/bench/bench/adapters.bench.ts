// Authenticated requests per second over HTTP through `shareRemote`, on Hono
// and on Express, with the memory store and with Redis, beside the bare app,
// a minimal hand-written cookie-to-Map (or cookie-to-Redis GET) lookup
// middleware (the floor any session middleware pays), and express-session +
// connect-redis, all in the same run. On Hono, beside them, the peers a user
// would pick instead of Share: better-auth (memory adapter, sessions in the
// same Redis as secondaryStorage, its cookie cache off and on) and
// iron-session (stateless sealed cookie). Load comes from wrk (a separate
// process); every server runs in this process on a loopback ephemeral port.
// Redis is a server of our own on a spare port, so resetting its statistics
// and watching it with MONITOR disturbs nobody. Many short interleaved rounds
// (BENCH_ROUNDS, BENCH_WRK_SECONDS) rather than a few long ones: on a small VM
// the kernel's share of a request swings from one second to the next, and a
// median over many neighbouring rounds is what stays put.

import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { availableParallelism } from 'node:os'
import { promisify } from 'node:util'
import { type HttpBindings, serve } from '@hono/node-server'
import {
  createMemoryStore,
  createShareRemote,
  generateSyncKey,
  type ShareRemote,
} from '@share/core'
import type { SessionStore } from '@share/core/store'
import {
  requireSession as expressRequireSession,
  shareRemote as expressShareRemote,
} from '@share/express'
import { requireSession, shareRemote } from '@share/hono'
import { redisStore } from '@share/store-redis'
import { betterAuth, type SecondaryStorage } from 'better-auth'
import { memoryAdapter } from 'better-auth/adapters/memory'
import { RedisStore } from 'connect-redis'
import express from 'express'
import session from 'express-session'
import { Hono } from 'hono'
import { Redis } from 'ioredis'
import { getIronSession } from 'iron-session'
import { createClient } from 'redis'
import { afterAll, beforeAll, it } from 'vitest'
import { startServer, type TestServer } from '../../store-redis/test/servers.ts'

const run = promisify(execFile)

const APP_URL = 'http://app-a.localhost:4001'
const IDP_URL = 'http://idp.localhost:4000'
const USER_ID = 'bench'
const USER = { name: 'Bench User', roles: ['member'] }
const WRK = {
  threads: 1,
  connections: 16,
  seconds: Number(process.env.BENCH_WRK_SECONDS ?? 1),
  warmupSeconds: 1,
}
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 13)
/** Sequential requests per variant when counting Redis commands. */
const COUNTED_REQUESTS = 1000
/**
 * better-auth's `session.cookieCache.maxAge` for the cookie-cache row: 5 minutes, or longer
 * when the rounds asked for could outlast it. wrk never stores the refreshed cookie an expired
 * cache brings, so past it every request would go to Redis and the row would be mislabelled
 * (the Hono test checks that the table finished inside it).
 */
const COOKIE_CACHE_MAX_AGE = Math.max(300, 20 * (WRK.warmupSeconds + ROUNDS * WRK.seconds))

/** What the minimal middlewares keep per session. */
interface MinimalSession {
  userId: string
  user: unknown
}

declare module 'express-session' {
  interface SessionData {
    user: MinimalSession
  }
}

let redis: TestServer
let stats: Redis
let storeClient: Redis
let minimalClient: Redis
/** better-auth's secondaryStorage client. */
let peerClient: Redis
let nodeRedis: ReturnType<typeof createClient>
let memoryRemote: ShareRemote
let redisRemote: ShareRemote
/** The minimal middlewares' session id (cookie `sid`), in the Map and under a Redis key. */
const minimalSid = 'Jc1xq0m2V4b8tTzQyF3kR9wNpLs6HdUe7aGoYi5BvXc'
const minimalMap = new Map<string, MinimalSession>()
const minimalKey = (sid: string) => `bench-min:${sid}`
const closers: (() => Promise<unknown> | unknown)[] = []

beforeAll(async () => {
  redis = await startServer()
  stats = new Redis(redis.url)
  storeClient = new Redis(redis.url)
  minimalClient = new Redis(redis.url)
  peerClient = new Redis(redis.url)
  nodeRedis = createClient({ url: redis.url })
  await nodeRedis.connect()
  const prefix = `bench-adapters-${Date.now()}:`
  memoryRemote = await remoteOn(createMemoryStore())
  redisRemote = await remoteOn(redisStore({ client: storeClient, prefix }))
  const minimal = { userId: USER_ID, user: USER }
  minimalMap.set(minimalSid, minimal)
  await minimalClient.set(minimalKey(minimalSid), JSON.stringify(minimal))
})

afterAll(async () => {
  for (const close of closers) await close()
  stats?.disconnect()
  storeClient?.disconnect()
  minimalClient?.disconnect()
  peerClient?.disconnect()
  if (nodeRedis?.isOpen) await nodeRedis.quit()
  await redis?.stop()
})

function remoteOn(store: SessionStore, touchIntervalSec?: number): ShareRemote {
  return createShareRemote({
    syncKey: generateSyncKey(),
    appUrl: APP_URL,
    hostUrl: IDP_URL,
    store,
    ...(touchIntervalSec === undefined ? {} : { session: { touchIntervalSec } }),
  })
}

/** A host sign-in, then the remote's linked session, as a redeemed hand-off leaves it. */
async function linkedCookie(remote: ShareRemote): Promise<string> {
  const host = await remote.engine.create({ userId: USER_ID, user: USER })
  const linked = await remote.engine.link({
    hostSessionId: host.session.id,
    audience: remote.origin,
  })
  return `share_session=${linked.cookie}`
}

/** The minimal middlewares' cookie parsing: the first pair with this name. */
function cookieValue(header: string | null | undefined, name: string): string | undefined {
  if (!header) return undefined
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=')
    if (eq > 0 && pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim()
  }
  return undefined
}

type Lookup = (sid: string) => MinimalSession | null | Promise<MinimalSession | null>

const mapLookup: Lookup = (sid) => minimalMap.get(sid) ?? null

const redisLookup: Lookup = async (sid) => {
  const raw = await minimalClient.get(minimalKey(sid))
  return raw === null ? null : (JSON.parse(raw) as MinimalSession)
}

// ---------------------------------------------------------------- peers

/** better-auth's secondaryStorage on ioredis, every key under `prefix`. */
function redisSecondaryStorage(client: Redis, prefix: string): SecondaryStorage {
  return {
    get: (key) => client.get(prefix + key),
    set: async (key, value, ttl) => {
      if (ttl !== undefined && ttl > 0) await client.set(prefix + key, value, 'EX', ttl)
      else await client.set(prefix + key, value)
    },
    delete: async (key) => {
      await client.del(prefix + key)
    },
    getAndDelete: (key) => client.getdel(prefix + key),
    increment: async (key, ttl) => {
      // One transaction: INCR, and a TTL only if the counter has none yet (EXPIRE NX, Redis 7).
      const replies = await client
        .multi()
        .incr(prefix + key)
        .expire(prefix + key, ttl, 'NX')
        .exec()
      const [error, count] = replies?.[0] ?? [new Error('increment: transaction aborted')]
      if (error) throw error
      return count as number
    },
  }
}

let betterAuthInstances = 0

/** better-auth with no database of its own: users in memory, sessions in the benchmark Redis. */
function createBenchAuth(cookieCache: boolean) {
  const instance = ++betterAuthInstances
  return betterAuth({
    appName: 'Share bench',
    baseURL: APP_URL,
    secret: 'a-better-auth-secret-for-the-benchmark-only-0123456789',
    database: memoryAdapter({ user: [], session: [], account: [], verification: [] }),
    secondaryStorage: redisSecondaryStorage(
      peerClient,
      `bench-better-auth-${instance}-${Date.now()}:`,
    ),
    emailAndPassword: { enabled: true },
    session: { cookieCache: { enabled: cookieCache, maxAge: COOKIE_CACHE_MAX_AGE } },
    telemetry: { enabled: false },
  })
}

type BenchAuth = ReturnType<typeof createBenchAuth>

/** A better-auth sign-up through its server API: the user's id and the cookies it set. */
async function betterAuthSignUp(auth: BenchAuth): Promise<{ userId: string; cookie: string }> {
  const { headers, response } = await auth.api.signUpEmail({
    body: { name: 'Bench User', email: 'bench@example.com', password: 'a-bench-password-1234' },
    returnHeaders: true,
  })
  // session_token, and session_data when the cookie cache is on: wrk sends them all.
  const cookies = headers.getSetCookie().map((cookie) => cookie.split(';')[0]!)
  if (!response.user?.id || !cookies.some((c) => c.startsWith('better-auth.session_token='))) {
    throw new Error('better-auth sign-up set no session cookie')
  }
  return { userId: response.user.id, cookie: cookies.join('; ') }
}

/** What iron-session seals into its cookie. */
interface IronData {
  userId?: string
  user?: unknown
}

const IRON_OPTIONS = {
  password: 'an-iron-session-password-for-the-benchmark-only-0123456789',
  cookieName: 'iron_session',
}

// ---------------------------------------------------------------- servers

interface Running {
  url: string
  close(): Promise<void>
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections()
  return new Promise((resolve) => server.close(() => resolve()))
}

async function listen(start: (ready: () => void) => Server): Promise<Running> {
  let server: Server | undefined
  await new Promise<void>((resolve) => {
    server = start(resolve)
  })
  const { port } = server!.address() as AddressInfo
  const running = { url: `http://127.0.0.1:${port}`, close: () => closeServer(server!) }
  closers.push(running.close)
  return running
}

type HonoSetup =
  | { kind: 'bare' }
  /** `noStore`: with a session, `Cache-Control: no-store`, as issue 11 asks of every session page. */
  | { kind: 'minimal'; lookup: Lookup; noStore?: boolean }
  | { kind: 'share'; remote: ShareRemote; guard: boolean }

type HonoPeerSetup = { kind: 'better-auth'; auth: BenchAuth } | { kind: 'iron-session' }

function startHono(setup: HonoSetup | HonoPeerSetup): Promise<Running> {
  const app = new Hono<{
    Bindings: HttpBindings
    Variables: { minimal: MinimalSession | null; peerUserId: string | null }
  }>()
  if (setup.kind === 'better-auth') {
    // The middleware shape of the others: it finds the session, the handler answers 401 without.
    // auth.api.getSession on the request's headers, as better-auth's Hono integration does.
    const { auth } = setup
    app.use(async (c, next) => {
      const found = await auth.api.getSession({ headers: c.req.raw.headers })
      c.set('peerUserId', found?.user.id ?? null)
      await next()
    })
    app.get('/', (c) => {
      const userId = c.get('peerUserId')
      return userId ? c.text(`hello ${userId}`) : c.text('unauthorized', 401)
    })
  } else if (setup.kind === 'iron-session') {
    // getIronSession on Hono's Fetch API pair, c.req.raw and c.res (iron-session 8 takes a
    // Request and a Response), rather than unsealData on the cookie: that is how a Hono user gets
    // a session that can also save(). Touching c.res before the handler has its price in Hono
    // (the handler's Response is copied to merge c.res's headers into it); this row pays it.
    app.use(async (c, next) => {
      const session = await getIronSession<IronData>(c.req.raw, c.res, IRON_OPTIONS)
      c.set('peerUserId', session.userId ?? null)
      await next()
    })
    app.post('/login', async (c) => {
      const session = await getIronSession<IronData>(c.req.raw, c.res, IRON_OPTIONS)
      session.userId = USER_ID
      session.user = USER
      await session.save()
      return c.text('signed in')
    })
    app.get('/', (c) => {
      const userId = c.get('peerUserId')
      return userId ? c.text(`hello ${userId}`) : c.text('unauthorized', 401)
    })
  } else if (setup.kind === 'bare') {
    app.get('/', (c) => c.text('hello'))
  } else if (setup.kind === 'minimal') {
    const { lookup, noStore } = setup
    app.use(async (c, next) => {
      const sid = cookieValue(c.req.header('cookie'), 'sid')
      const found = sid === undefined ? null : lookup(sid)
      const session = found instanceof Promise ? await found : found
      c.set('minimal', session)
      // The cheapest way there is on @hono/node-server: onto Node's response, as shareRemote does.
      if (noStore && session) c.env.outgoing.setHeader('Cache-Control', 'no-store')
      await next()
    })
    app.get('/', (c) => {
      const found = c.get('minimal')
      return found ? c.text(`hello ${found.userId}`) : c.text('unauthorized', 401)
    })
  } else if (setup.guard) {
    app.use(shareRemote(setup.remote))
    app.get('/', requireSession(setup.remote), (c) => c.text(`hello ${c.get('share')!.userId}`))
  } else {
    // The same handler shape as the minimal middleware's: middleware is compared with middleware.
    app.use(shareRemote(setup.remote))
    app.get('/', (c) => {
      // c.get, as the minimal variant's handler does (c.var rebuilds an object per access).
      const found = c.get('share')
      return found ? c.text(`hello ${found.userId}`) : c.text('unauthorized', 401)
    })
  }
  return listen(
    (ready) => serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, ready) as Server,
  )
}

type ExpressSetup = HonoSetup | { kind: 'express-session' }

function startExpress(setup: ExpressSetup): Promise<Running> {
  const app = express()
  if (setup.kind === 'bare') {
    app.get('/', (_req, res) => {
      res.send('hello')
    })
  } else if (setup.kind === 'minimal') {
    const { lookup, noStore } = setup
    app.use((req, res, next) => {
      const sid = cookieValue(req.headers.cookie, 'sid')
      const found = sid === undefined ? null : lookup(sid)
      if (!(found instanceof Promise)) {
        res.locals.minimal = found
        if (noStore && found) res.setHeader('Cache-Control', 'no-store')
        return next()
      }
      found.then((value) => {
        res.locals.minimal = value
        if (noStore && value) res.setHeader('Cache-Control', 'no-store')
        next()
      }, next)
    })
    app.get('/', (_req, res) => {
      const found = res.locals.minimal as MinimalSession | null
      if (found) res.send(`hello ${found.userId}`)
      else res.status(401).send('unauthorized')
    })
  } else if (setup.kind === 'share' && setup.guard) {
    app.use(expressShareRemote(setup.remote))
    app.get('/', expressRequireSession(setup.remote), (req, res) => {
      res.send(`hello ${req.share!.userId}`)
    })
  } else if (setup.kind === 'share') {
    app.use(expressShareRemote(setup.remote))
    app.get('/', (req, res) => {
      if (req.share) res.send(`hello ${req.share.userId}`)
      else res.status(401).send('unauthorized')
    })
  } else {
    app.use(
      session({
        store: new RedisStore({ client: nodeRedis, prefix: 'bench-es:' }),
        secret: 'a-session-secret-for-the-benchmark-only',
        resave: false,
        saveUninitialized: false,
        cookie: { maxAge: 43_200_000, httpOnly: true, sameSite: 'lax' },
      }),
    )
    app.post('/login', (req, res) => {
      req.session.user = { userId: USER_ID, user: USER }
      res.send('signed in')
    })
    app.get('/', (req, res) => {
      const found = req.session.user
      if (found) res.send(`hello ${found.userId}`)
      else res.status(401).send('unauthorized')
    })
  }
  return listen((ready) => app.listen(0, '127.0.0.1', ready))
}

/** A sign-in through the app's POST /login: the cookie it sets (express-session, iron-session). */
async function loginCookie(url: string, what: string): Promise<string> {
  const response = await fetch(`${url}/login`, { method: 'POST' })
  const cookie = response.headers.getSetCookie()[0]?.split(';')[0]
  if (response.status !== 200 || !cookie) throw new Error(`${what} sign-in failed`)
  return cookie
}

/** express-session's own sign-in, through the app: its signed `connect.sid` cookie. */
const expressSessionCookie = (url: string) => loginCookie(url, 'express-session')

// ---------------------------------------------------------------- variants

interface Variant {
  name: string
  url: string
  /** The Cookie header wrk sends; null for the bare app. */
  cookie: string | null
  /** The row this one's throughput is compared with (the minimal lookup on the same store). */
  baseline: string
  /** A second row to compare with, shown in brackets (the same lookup without no-store). */
  alsoVs?: string
  /** The body of an authenticated answer, when not `hello ${USER_ID}`. */
  expected?: string
  /** A peer of Share's: its row also gets Share's req/s over its own. */
  peer?: boolean
}

const BARE = 'bare app (no session)'
const MIN_MAP = 'minimal cookie→Map lookup'
const SHARE_MEMORY = 'shareRemote, memory store'
const SHARE_MEMORY_GUARD = 'shareRemote + requireSession guard, memory store'
const MIN_REDIS = 'minimal cookie→Redis GET (ioredis)'
const NO_STORE = ' + Cache-Control: no-store'
const MIN_MAP_NS = MIN_MAP + NO_STORE
const MIN_REDIS_NS = MIN_REDIS + NO_STORE
const SHARE_REDIS = 'shareRemote, redisStore (ioredis, Lua)'
const EXPRESS_SESSION = 'express-session + connect-redis (node-redis)'
const BETTER_AUTH =
  'better-auth, memory adapter + Redis secondaryStorage (ioredis), cookie cache off'
const BETTER_AUTH_CACHED = `better-auth, memory adapter + Redis secondaryStorage (ioredis), cookie cache on (maxAge ${COOKIE_CACHE_MAX_AGE} s)`
const IRON_SESSION = 'iron-session getIronSession (stateless sealed cookie)'

/** A better-auth row on Hono: a fresh instance, its sign-up's cookies, checked both ways. */
async function betterAuthVariant(name: string, cookieCache: boolean): Promise<Variant> {
  const auth = createBenchAuth(cookieCache)
  const { userId, cookie } = await betterAuthSignUp(auth)
  if (cookieCache && !cookie.includes('better-auth.session_data=')) {
    throw new Error('better-auth with cookieCache on set no session_data cookie')
  }
  const variant: Variant = {
    name,
    url: (await startHono({ kind: 'better-auth', auth })).url,
    cookie,
    baseline: MIN_REDIS,
    expected: `hello ${userId}`,
    peer: true,
  }
  await assertAuthenticates(variant)
  return variant
}

async function ironSessionVariant(): Promise<Variant> {
  const { url } = await startHono({ kind: 'iron-session' })
  const variant: Variant = {
    name: IRON_SESSION,
    url,
    cookie: await loginCookie(url, 'iron-session'),
    baseline: MIN_MAP,
    peer: true,
  }
  await assertAuthenticates(variant)
  return variant
}

/**
 * The rows both frameworks share. Share's rows are compared with the minimal lookup that does
 * the same job, `no-store` on every signed-in page included (issue 11); the ratio without that
 * header is shown beside it.
 */
async function commonVariants(start: (setup: HonoSetup) => Promise<Running>): Promise<Variant[]> {
  const sid = `sid=${minimalSid}`
  const share = async (name: string, remote: ShareRemote, guard: boolean, onMap: boolean) => ({
    name,
    url: (await start({ kind: 'share', remote, guard })).url,
    cookie: await linkedCookie(remote),
    baseline: onMap ? MIN_MAP_NS : MIN_REDIS_NS,
    alsoVs: onMap ? MIN_MAP : MIN_REDIS,
  })
  const minimal = async (name: string, lookup: Lookup, noStore: boolean, baseline: string) => ({
    name,
    url: (await start({ kind: 'minimal', lookup, noStore })).url,
    cookie: sid,
    baseline,
  })
  return [
    { name: BARE, url: (await start({ kind: 'bare' })).url, cookie: null, baseline: MIN_MAP },
    await minimal(MIN_MAP, mapLookup, false, MIN_MAP),
    await minimal(MIN_MAP_NS, mapLookup, true, MIN_MAP),
    await share(SHARE_MEMORY, memoryRemote, false, true),
    await share(SHARE_MEMORY_GUARD, memoryRemote, true, true),
    await minimal(MIN_REDIS, redisLookup, false, MIN_REDIS),
    await minimal(MIN_REDIS_NS, redisLookup, true, MIN_REDIS),
    await share(SHARE_REDIS, redisRemote, false, false),
  ]
}

async function honoVariants(): Promise<Variant[]> {
  return [
    ...(await commonVariants(startHono)),
    await betterAuthVariant(BETTER_AUTH, false),
    await betterAuthVariant(BETTER_AUTH_CACHED, true),
    await ironSessionVariant(),
  ]
}

async function expressVariants(): Promise<Variant[]> {
  const expressSession = await startExpress({ kind: 'express-session' })
  return [
    ...(await commonVariants(startExpress)),
    {
      name: EXPRESS_SESSION,
      url: expressSession.url,
      cookie: await expressSessionCookie(expressSession.url),
      baseline: MIN_REDIS,
    },
  ]
}

/** One authenticated request: it must be a 200 naming the user (a 302 is an unrecognised session). */
async function assertSignedIn(variant: Variant): Promise<void> {
  const response = await fetch(`${variant.url}/`, {
    headers: variant.cookie ? { cookie: variant.cookie } : {},
    redirect: 'manual',
  })
  const body = await response.text()
  const expected = variant.cookie ? (variant.expected ?? `hello ${USER_ID}`) : 'hello'
  if (response.status !== 200 || body !== expected) {
    throw new Error(`${variant.name}: expected 200 "${expected}", got ${response.status} "${body}"`)
  }
}

/** The cookie with one character in the middle of each value changed (a forged cookie). */
function tampered(cookie: string): string {
  return cookie
    .split('; ')
    .map((pair) => {
      const eq = pair.indexOf('=')
      let i = eq + 1 + Math.floor((pair.length - eq - 1) / 2)
      while (i < pair.length && !/[A-Za-z0-9]/.test(pair[i]!)) i++
      return `${pair.slice(0, i)}${pair[i] === 'A' ? 'B' : 'A'}${pair.slice(i + 1)}`
    })
    .join('; ')
}

/**
 * A peer's row must be of a session really found: 200 with the user for its cookie (and the same
 * page as Share's rows), 401 with no cookie and with a forged one.
 */
async function assertAuthenticates(variant: Variant): Promise<void> {
  await assertSignedIn(variant)
  for (const [what, cookie] of [
    ['no cookie', null],
    ['a forged cookie', tampered(variant.cookie!)],
  ] as const) {
    const response = await fetch(`${variant.url}/`, {
      headers: cookie ? { cookie } : {},
      redirect: 'manual',
    })
    const body = await response.text()
    if (response.status !== 401 || body !== 'unauthorized') {
      throw new Error(
        `${variant.name}: with ${what}, expected 401, got ${response.status} "${body}"`,
      )
    }
  }
}

// ---------------------------------------------------------------- wrk

interface WrkResult {
  rps: number
  /** CPU time of this process (user + system, every thread) per request served. */
  cpuUs: number
  p50: string
  p99: string
}

async function wrk(variant: Variant, seconds: number): Promise<WrkResult> {
  const args = [
    `-t${WRK.threads}`,
    `-c${WRK.connections}`,
    `-d${seconds}s`,
    '--latency',
    ...(variant.cookie ? ['-H', `Cookie: ${variant.cookie}`] : []),
    `${variant.url}/`,
  ]
  // Asynchronous on purpose: the servers answer from this process's event loop meanwhile.
  const cpu = process.cpuUsage()
  const { stdout } = await run('wrk', args)
  const used = process.cpuUsage(cpu)
  const requests = Number(/(\d+) requests in/.exec(stdout)?.[1])
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1])
  const failed = /Non-2xx or 3xx responses:\s+(\d+)/.exec(stdout)
  const socketErrors = /Socket errors:[^\n]*/.exec(stdout)
  if (!Number.isFinite(rps) || rps <= 0) throw new Error(`${variant.name}: wrk said\n${stdout}`)
  if (failed) throw new Error(`${variant.name}: ${failed[1]} non-2xx answers under load`)
  if (socketErrors) console.log(`  (${variant.name}: ${socketErrors[0]})`)
  return {
    rps,
    cpuUs: (used.user + used.system) / requests,
    p50: /^\s+50%\s+(\S+)/m.exec(stdout)?.[1] ?? '?',
    p99: /^\s+99%\s+(\S+)/m.exec(stdout)?.[1] ?? '?',
  }
}

interface Row {
  variant: Variant
  rps: number
  low: number
  high: number
  /** Latency of the round whose throughput was the median. */
  median: WrkResult
  /** Median over the rounds of this process's CPU time per request. */
  cpuUs: number
}

const format = (n: number) => Math.round(n).toLocaleString('en-US')

/** The Share rows a peer's req/s is set against (Share's req/s ÷ the peer's). */
interface Versus {
  redis: string
  memory: string
}

/** wrk against each variant in interleaved rounds (the order rotates); median req/s per variant. */
async function measure(
  title: string,
  variants: Variant[],
  versus?: Versus,
): Promise<Map<string, Row>> {
  const stealBefore = cpuTicks()
  for (const variant of variants) await assertSignedIn(variant)
  for (const variant of variants) await wrk(variant, WRK.warmupSeconds)
  const samples = new Map<string, WrkResult[]>(variants.map((v) => [v.name, []]))
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < variants.length; i++) {
      const variant = variants[(i + round) % variants.length]!
      samples.get(variant.name)!.push(await wrk(variant, WRK.seconds))
    }
  }
  const rows = new Map<string, Row>()
  for (const variant of variants) {
    const sorted = [...samples.get(variant.name)!].sort((a, b) => a.rps - b.rps)
    const median = sorted[Math.floor(sorted.length / 2)]!
    rows.set(variant.name, {
      variant,
      rps: median.rps,
      low: sorted[0]!.rps,
      high: sorted[sorted.length - 1]!.rps,
      median,
      cpuUs: [...sorted].sort((a, b) => a.cpuUs - b.cpuUs)[Math.floor(sorted.length / 2)]!.cpuUs,
    })
  }
  const stealAfter = cpuTicks()
  console.log(`\n${title}`)
  console.log(
    `(wrk -t${WRK.threads} -c${WRK.connections} -d${WRK.seconds}s --latency, GET / with the ` +
      `variant's cookie; median of ${ROUNDS} interleaved rounds after a ${WRK.warmupSeconds} s ` +
      "warm-up; range in brackets; latency of the median round; Node CPU = this process's " +
      `user + system time per request, median of the rounds${stealNote(stealBefore, stealAfter)})\n`,
  )
  const versusHeader = versus ? ' Share req/s ÷ this (Share on Redis / Share on memory) |' : ''
  console.log(
    `| variant | req/s | range | p50 / p99 latency | Node CPU per request | req/s vs minimal lookup, same store |${versusHeader}`,
  )
  console.log(`| --- | ---: | ---: | ---: | ---: | ---: |${versus ? ' ---: |' : ''}`)
  const shareOnRedis = versus && rows.get(versus.redis)!
  const shareOnMemory = versus && rows.get(versus.memory)!
  for (const row of rows.values()) {
    const base = rows.get(row.variant.baseline)!
    const also = row.variant.alsoVs === undefined ? undefined : rows.get(row.variant.alsoVs)!
    const ratio =
      row.variant.name === row.variant.baseline
        ? '1.00x (baseline)'
        : `${(row.rps / base.rps).toFixed(2)}x ${row.variant.baseline.replace(/ \(ioredis\)/, '')}` +
          (also ? ` (${(row.rps / also.rps).toFixed(2)}x without no-store)` : '')
    console.log(
      `| ${row.variant.name} | ${format(row.rps)} | ${format(row.low)}–${format(row.high)} | ` +
        `${row.median.p50} / ${row.median.p99} | ${row.cpuUs.toFixed(1)} µs | ${ratio} |` +
        (shareOnRedis && shareOnMemory
          ? row.variant.peer
            ? ` ${(shareOnRedis.rps / row.rps).toFixed(2)}x / ${(shareOnMemory.rps / row.rps).toFixed(2)}x |`
            : ' — |'
          : ''),
    )
  }
  return rows
}

/** Aggregate CPU ticks from /proc/stat (Linux): all, and stolen by the hypervisor. */
function cpuTicks(): { total: number; steal: number } | null {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1)
    const ticks = fields.map(Number)
    return { total: ticks.reduce((a, b) => a + b, 0), steal: ticks[7] ?? 0 }
  } catch {
    return null
  }
}

function stealNote(
  before: ReturnType<typeof cpuTicks>,
  after: ReturnType<typeof cpuTicks>,
): string {
  if (!before || !after || after.total === before.total) return ''
  const percent = ((after.steal - before.steal) / (after.total - before.total)) * 100
  return `; CPU stolen by the hypervisor during the table: ${percent.toFixed(1)}%`
}

/** A target's verdict, with the same ratio computed from Node CPU time per request beside it. */
function target(text: string, ratio: number, met: boolean, cpuRatio: number): void {
  console.log(
    `- target: ${text}: ${met ? 'MET' : 'NOT MET'} (${ratio.toFixed(2)}x req/s; ` +
      `${cpuRatio.toFixed(2)}x by Node CPU time per request)`,
  )
}

/** Issue 9's floor: Share's row over the minimal lookup on the same store, no-store on both. */
function floorTarget(rows: Map<string, Row>, what: string, name: string, floor: number): void {
  const share = rows.get(name)!
  const minimal = rows.get(share.variant.baseline)!
  target(
    `${what}: shareRemote at least ${floor.toFixed(2)}x the ${share.variant.baseline}`,
    share.rps / minimal.rps,
    share.rps / minimal.rps >= floor,
    minimal.cpuUs / share.cpuUs,
  )
}

function printSetting(): void {
  console.log(
    `\nNode ${process.version}, ${availableParallelism()} cores shared by Node, wrk and ` +
      `redis-server; wrk ${WRK.threads} thread, ${WRK.connections} connections`,
  )
}

// Express runs first: @hono/node-server's serve() replaces the global Request and
// Response with its own subclasses (its default), which an Express app never has.
it('Express 5: authenticated requests per second', async () => {
  printSetting()
  const rows = await measure(
    'Express 5: authenticated GET / per second through each middleware',
    await expressVariants(),
  )
  const share = rows.get(SHARE_REDIS)!
  const expressSession = rows.get(EXPRESS_SESSION)!
  console.log('')
  floorTarget(rows, 'Express + memory store', SHARE_MEMORY, 0.9)
  target(
    'Express + Redis: shareRemote beats express-session + connect-redis',
    share.rps / expressSession.rps,
    share.rps > expressSession.rps,
    expressSession.cpuUs / share.cpuUs,
  )
})

it('Hono: authenticated requests per second', async () => {
  printSetting()
  const signedInAt = Date.now()
  const rows = await measure(
    'Hono (@hono/node-server): authenticated GET / per second through each middleware',
    await honoVariants(),
    { redis: SHARE_REDIS, memory: SHARE_MEMORY },
  )
  const elapsed = (Date.now() - signedInAt) / 1000
  if (elapsed >= COOKIE_CACHE_MAX_AGE) {
    throw new Error(
      `the Hono table took ${Math.round(elapsed)} s, past better-auth's cookie cache maxAge ` +
        `(${COOKIE_CACHE_MAX_AGE} s): its cookie-cache row measured Redis lookups in part`,
    )
  }
  console.log('')
  floorTarget(rows, 'Hono + memory store', SHARE_MEMORY, 0.95)
  floorTarget(rows, 'Hono + Redis', SHARE_REDIS, 0.95)
})

// ---------------------------------------------------------------- Redis commands

interface Counted {
  /** Commands the app's clients sent (round trips), per request, by name. */
  sent: Map<string, number>
  /** INFO commandstats calls per request, by name: includes what ran inside Lua scripts. */
  commandstats: Map<string, number>
}

const OWN_COMMANDS = new Set(['config', 'config|resetstat', 'info', 'ping', 'monitor'])

/** Redis commands per request over `n` sequential authenticated requests. */
async function countCommands(variant: Variant, n = COUNTED_REQUESTS): Promise<Counted> {
  await assertSignedIn(variant) // loads scripts (EVALSHA, not EVAL, from here on)
  const monitor = await stats.monitor()
  const sent = new Map<string, number>()
  const marker = `bench-done-${Math.random()}`
  let done: () => void = () => {}
  const finished = new Promise<void>((resolve) => {
    done = resolve
  })
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    const name = args[0]?.toLowerCase() ?? ''
    if (name === 'ping' && args[1] === marker) return done()
    // Commands a script runs are listed with the source `lua`: not round trips.
    if (source === 'lua' || OWN_COMMANDS.has(name)) return
    sent.set(name, (sent.get(name) ?? 0) + 1)
  })
  await stats.config('RESETSTAT')
  const headers: Record<string, string> = variant.cookie ? { cookie: variant.cookie } : {}
  for (let i = 0; i < n; i++) {
    const response = await fetch(`${variant.url}/`, { headers, redirect: 'manual' })
    await response.arrayBuffer()
    if (response.status !== 200) throw new Error(`${variant.name}: ${response.status}`)
  }
  const info = await stats.info('commandstats')
  await stats.ping(marker)
  await finished
  monitor.disconnect()
  const commandstats = new Map<string, number>()
  for (const [, name, calls] of info.matchAll(/cmdstat_([\w|]+):calls=(\d+)/g)) {
    if (!OWN_COMMANDS.has(name!)) commandstats.set(name!, Number(calls) / n)
  }
  for (const [name, count] of sent) sent.set(name, count / n)
  return { sent, commandstats }
}

const total = (counts: Map<string, number>) => [...counts.values()].reduce((a, b) => a + b, 0)
const describe = (counts: Map<string, number>) =>
  [...counts].map(([name, count]) => `${name} ${count.toFixed(2)}`).join(', ') || 'none'

it('Redis commands per authenticated request', async () => {
  // Fresh sessions: every counted request falls between touch intervals (60 s by default),
  // and beside them a remote whose every request is past its touch interval.
  const touching = await remoteOn(
    redisStore({ client: storeClient, prefix: `bench-adapters-touch-${Date.now()}:` }),
    0,
  )
  const passed = `${SHARE_REDIS}, touch interval passed (touchIntervalSec 0)`
  const variants: Variant[] = []
  for (const [framework, start] of [
    ['Hono', startHono],
    ['Express', startExpress],
  ] as const) {
    variants.push(
      {
        name: `${framework} · ${SHARE_REDIS}`,
        url: (await start({ kind: 'share', remote: redisRemote, guard: false })).url,
        cookie: await linkedCookie(redisRemote),
        baseline: MIN_REDIS,
      },
      {
        name: `${framework} · ${MIN_REDIS}`,
        url: (await start({ kind: 'minimal', lookup: redisLookup })).url,
        cookie: `sid=${minimalSid}`,
        baseline: MIN_REDIS,
      },
      {
        name: `${framework} · ${passed}`,
        url: (await start({ kind: 'share', remote: touching, guard: false })).url,
        cookie: await linkedCookie(touching),
        baseline: MIN_REDIS,
      },
    )
  }
  variants.push(
    await betterAuthVariant(`Hono · ${BETTER_AUTH}`, false),
    await betterAuthVariant(`Hono · ${BETTER_AUTH_CACHED}`, true),
  )
  const expressSession = await startExpress({ kind: 'express-session' })
  variants.push({
    name: `Express · ${EXPRESS_SESSION}`,
    url: expressSession.url,
    cookie: await expressSessionCookie(expressSession.url),
    baseline: MIN_REDIS,
  })
  console.log(
    `\nRedis commands per authenticated request (${COUNTED_REQUESTS} sequential requests each,` +
      ' through the HTTP server). "Sent" counts the commands the app sent to Redis (round trips,' +
      ' from MONITOR); INFO commandstats also counts what a Lua script runs: one EVALSHA is one' +
      ' round trip, and the hash reads beside it ran inside that script.\n',
  )
  console.log('| per authenticated request | sent (round trips) | INFO commandstats (incl. Lua) |')
  console.log('| --- | --- | --- |')
  const results = new Map<string, Counted>()
  for (const variant of variants) {
    const counted = await countCommands(variant)
    results.set(variant.name, counted)
    console.log(
      `| ${variant.name} | ${total(counted.sent).toFixed(2)}: ${describe(counted.sent)} | ` +
        `${describe(counted.commandstats)} |`,
    )
  }
  console.log('')
  for (const framework of ['Hono', 'Express']) {
    const perRequest = total(results.get(`${framework} · ${SHARE_REDIS}`)!.sent)
    console.log(
      `- target: ${framework} + Redis: shareRemote sends 1 Redis command per authenticated request` +
        ` between touch intervals: ${Math.abs(perRequest - 1) < 0.005 ? 'MET' : 'NOT MET'}` +
        ` (${perRequest.toFixed(2)})`,
    )
  }
})
