// Authenticated requests per second over HTTP through `shareRemote`, on Hono
// and on Express, with the memory store and with Redis, beside the bare app,
// a minimal hand-written cookie-to-Map (or cookie-to-Redis GET) lookup
// middleware (the floor any session middleware pays; also with the
// `Cache-Control: no-store` Share sends on a signed-in page), and
// express-session + connect-redis, all in the same run. On Hono, beside them,
// the peers a user would pick instead of Share: better-auth (memory adapter,
// sessions in the same Redis as secondaryStorage, its cookie cache off and on)
// and iron-session (stateless sealed cookie). Load comes from wrk (a separate
// process). Every server runs in a Node process of its own (bench/server/),
// as an app does in production: in one shared process the variants' JIT
// feedback and heap mixed (11 apps, better-auth among them), and inside
// vitest's module runner every row ran 2x slower than on plain Node. Redis is
// a server of our own on a spare port, so resetting its statistics and
// watching it with MONITOR disturbs nobody. Many short interleaved rounds
// (BENCH_ROUNDS, BENCH_WRK_SECONDS) rather than a few long ones: on a small VM
// the kernel's share of a request swings from one second to the next, and a
// median over many neighbouring rounds is what stays put.

import { availableParallelism } from 'node:os'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, it } from 'vitest'
import { startServer as startRedis, type TestServer } from '../../store-redis/test/servers.ts'
import {
  assertSignedIn,
  cpuTicks,
  type Running,
  startServer,
  stealNote,
  WRK,
  type WrkResult,
  wrk,
} from './harness.ts'
import type { Setup } from './server/setup.ts'

const SECONDS = Number(process.env.BENCH_WRK_SECONDS ?? 1)
const WARMUP_SECONDS = 1
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 13)
/** Sequential requests per variant when counting Redis commands. */
const COUNTED_REQUESTS = 1000
/**
 * better-auth's `session.cookieCache.maxAge` for the cookie-cache row: 5 minutes, or longer
 * when the rounds asked for could outlast it. wrk never stores the refreshed cookie an expired
 * cache brings, so past it every request would go to Redis and the row would be mislabelled
 * (the Hono test checks that the table finished inside it).
 */
const COOKIE_CACHE_MAX_AGE = Math.max(300, 20 * (WARMUP_SECONDS + ROUNDS * SECONDS))

let redis: TestServer
let stats: Redis
const prefix = `bench-adapters-${Date.now()}:`
const running: Running[] = []

beforeAll(async () => {
  redis = await startRedis()
  stats = new Redis(redis.url)
})

afterAll(async () => {
  for (const server of running) await server.close()
  stats?.disconnect()
  await redis?.stop()
})

// ---------------------------------------------------------------- servers

/**
 * Starts one setup's server; stopped after the file. Not pinned to a core, unlike the floor
 * bench: the peers verify with Web Crypto, which runs on libuv's thread pool, and a server held
 * to one core would lose the second core an app has in production.
 */
async function start(setup: Setup): Promise<Running> {
  const server = await startServer(setup, { redisUrl: redis.url, prefix })
  running.push(server)
  return server
}

// ---------------------------------------------------------------- variants

interface Variant {
  name: string
  server: Running
  /** The row this one's throughput is compared with (the minimal lookup on the same store). */
  baseline: string
  /** A second row to compare with, shown in brackets (the same lookup without no-store). */
  alsoVs?: string
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

/** A peer's row on Hono: its own server, checked both ways (signed in, and refused). */
async function peerVariant(name: string, setup: Setup, baseline: string): Promise<Variant> {
  const variant: Variant = { name, server: await start(setup), baseline, peer: true }
  await assertAuthenticates(variant)
  return variant
}

/**
 * The rows both frameworks share. Share's rows are compared with the minimal lookup that does
 * the same job, `no-store` on every signed-in page included (issue 11); the ratio without that
 * header is shown beside it.
 */
async function commonVariants(framework: 'hono' | 'express'): Promise<Variant[]> {
  const share = async (name: string, store: 'memory' | 'redis', guard: boolean) => ({
    name,
    server: await start({ framework, kind: 'share', store, guard }),
    baseline: store === 'memory' ? MIN_MAP_NS : MIN_REDIS_NS,
    alsoVs: store === 'memory' ? MIN_MAP : MIN_REDIS,
  })
  const minimal = async (name: string, store: 'map' | 'redis', noStore: boolean) => ({
    name,
    server: await start({ framework, kind: 'minimal', store, noStore }),
    baseline: store === 'map' ? MIN_MAP : MIN_REDIS,
  })
  return [
    { name: BARE, server: await start({ framework, kind: 'bare' }), baseline: MIN_MAP },
    await minimal(MIN_MAP, 'map', false),
    await minimal(MIN_MAP_NS, 'map', true),
    await share(SHARE_MEMORY, 'memory', false),
    await share(SHARE_MEMORY_GUARD, 'memory', true),
    await minimal(MIN_REDIS, 'redis', false),
    await minimal(MIN_REDIS_NS, 'redis', true),
    await share(SHARE_REDIS, 'redis', false),
  ]
}

const betterAuthSetup = (cookieCache: boolean): Setup => ({
  framework: 'hono',
  kind: 'better-auth',
  cookieCache,
  cookieCacheMaxAge: COOKIE_CACHE_MAX_AGE,
})

async function honoVariants(): Promise<Variant[]> {
  return [
    ...(await commonVariants('hono')),
    await peerVariant(BETTER_AUTH, betterAuthSetup(false), MIN_REDIS),
    await peerVariant(BETTER_AUTH_CACHED, betterAuthSetup(true), MIN_REDIS),
    await peerVariant(IRON_SESSION, { framework: 'hono', kind: 'iron-session' }, MIN_MAP),
  ]
}

async function expressVariants(): Promise<Variant[]> {
  return [
    ...(await commonVariants('express')),
    {
      name: EXPRESS_SESSION,
      server: await start({ framework: 'express', kind: 'express-session' }),
      baseline: MIN_REDIS,
    },
  ]
}

const signedIn = (variant: Variant) => assertSignedIn(variant.name, variant.server)

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
  await signedIn(variant)
  for (const [what, cookie] of [
    ['no cookie', null],
    ['a forged cookie', tampered(variant.server.cookie!)],
  ] as const) {
    const response = await fetch(`${variant.server.url}/`, {
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

interface Row {
  variant: Variant
  rps: number
  low: number
  high: number
  /** Latency of the round whose throughput was the median. */
  median: WrkResult
  /** Median over the rounds of the server process's CPU time per request. */
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
  for (const variant of variants) await signedIn(variant)
  for (const variant of variants) await wrk(variant.name, variant.server, WARMUP_SECONDS)
  const samples = new Map<string, WrkResult[]>(variants.map((v) => [v.name, []]))
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < variants.length; i++) {
      const variant = variants[(i + round) % variants.length]!
      samples.get(variant.name)!.push(await wrk(variant.name, variant.server, SECONDS))
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
    `(wrk -t${WRK.threads} -c${WRK.connections} -d${SECONDS}s --latency, GET / with the ` +
      `variant's cookie; median of ${ROUNDS} interleaved rounds after a ${WARMUP_SECONDS} s ` +
      "warm-up; range in brackets; latency of the median round; Node CPU = the server process's " +
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

/** A target's verdict, with the same ratio computed from Node CPU time per request beside it. */
function target(text: string, ratio: number, met: boolean, cpuRatio: number): void {
  console.log(
    `- target: ${text}: ${met ? 'MET' : 'NOT MET'} (${ratio.toFixed(2)}x req/s; ` +
      `${cpuRatio.toFixed(2)}x by Node CPU time per request)`,
  )
}

/** Where the floor targets are judged: one table's two medians move too much with the VM. */
const FLOORS_NOTE =
  '- the floors (shareRemote vs the minimal lookup, no-store on both) are judged in floor.bench.ts, from paired rounds'

function printSetting(): void {
  console.log(
    `\nNode ${process.version}, ${availableParallelism()} cores shared by Node, wrk and ` +
      `redis-server; wrk ${WRK.threads} thread, ${WRK.connections} connections`,
  )
}

/** Stops the servers of a table once it is printed: idle processes would still hold memory. */
async function stopAll(variants: Variant[]): Promise<void> {
  for (const variant of variants) await variant.server.close()
}

it('Express 5: authenticated requests per second', async () => {
  printSetting()
  const variants = await expressVariants()
  const rows = await measure(
    'Express 5: authenticated GET / per second through each middleware',
    variants,
  )
  await stopAll(variants)
  const share = rows.get(SHARE_REDIS)!
  const expressSession = rows.get(EXPRESS_SESSION)!
  console.log('')
  console.log(FLOORS_NOTE)
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
  const variants = await honoVariants()
  await measure(
    'Hono (@hono/node-server): authenticated GET / per second through each middleware',
    variants,
    { redis: SHARE_REDIS, memory: SHARE_MEMORY },
  )
  await stopAll(variants)
  const elapsed = (Date.now() - signedInAt) / 1000
  if (elapsed >= COOKIE_CACHE_MAX_AGE) {
    throw new Error(
      `the Hono table took ${Math.round(elapsed)} s, past better-auth's cookie cache maxAge ` +
        `(${COOKIE_CACHE_MAX_AGE} s): its cookie-cache row measured Redis lookups in part`,
    )
  }
  console.log('')
  console.log(FLOORS_NOTE)
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
  await signedIn(variant) // loads scripts (EVALSHA, not EVAL, from here on)
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
  const { url, cookie } = variant.server
  const headers: Record<string, string> = cookie ? { cookie } : {}
  for (let i = 0; i < n; i++) {
    const response = await fetch(`${url}/`, { headers, redirect: 'manual' })
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
  const passed = `${SHARE_REDIS}, touch interval passed (touchIntervalSec 0)`
  const variants: Variant[] = []
  for (const [name, framework] of [
    ['Hono', 'hono'],
    ['Express', 'express'],
  ] as const) {
    variants.push(
      {
        name: `${name} · ${SHARE_REDIS}`,
        server: await start({ framework, kind: 'share', store: 'redis', guard: false }),
        baseline: MIN_REDIS,
      },
      {
        name: `${name} · ${MIN_REDIS}`,
        server: await start({ framework, kind: 'minimal', store: 'redis', noStore: false }),
        baseline: MIN_REDIS,
      },
      {
        name: `${name} · ${passed}`,
        server: await start({
          framework,
          kind: 'share',
          store: 'redis',
          guard: false,
          touchIntervalSec: 0,
        }),
        baseline: MIN_REDIS,
      },
    )
  }
  variants.push(
    await peerVariant(`Hono · ${BETTER_AUTH}`, betterAuthSetup(false), MIN_REDIS),
    await peerVariant(`Hono · ${BETTER_AUTH_CACHED}`, betterAuthSetup(true), MIN_REDIS),
    {
      name: `Express · ${EXPRESS_SESSION}`,
      server: await start({ framework: 'express', kind: 'express-session' }),
      baseline: MIN_REDIS,
    },
  )
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
  await stopAll(variants)
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
