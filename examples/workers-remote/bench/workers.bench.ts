// `pnpm bench` (never `npm test`): authenticated requests/s through @share/workers beside a
// bare Worker and a hand-written cookie → Map Worker, all in one Worker under one `wrangler
// dev` (workerd), load from wrk on loopback. Ratios come from one run: the variants are
// measured in interleaved rounds (the order rotates) and each figure is the median round.
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { generateSyncKey } from '@share/core'
import { build } from 'esbuild'
import { Redis } from 'ioredis'
import { Miniflare } from 'miniflare'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { deleteKeysUnder } from '../../../packages/store-redis/test/servers.ts'
import {
  startUpstashShim,
  type UpstashShim,
} from '../../../packages/store-upstash/test/shim/upstash-shim.ts'
import { PACKAGE_DIR, startWrangler } from '../test/wrangler.ts'

const run = promisify(execFile)
const HOST_NAME = 'app-workers.localhost'
const WRK = { threads: 2, connections: 16, seconds: 5, warmupSeconds: 2 }
const ROUNDS = 3
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
const prefix = `share-workers-bench-${process.pid}-${Date.now()}:`

let redis: Redis
let shim: UpstashShim
const temp = mkdtempSync(join(tmpdir(), 'share-workers-bench-'))

beforeAll(async () => {
  redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 })
  shim = await startUpstashShim({ redisUrl })
})

afterAll(async () => {
  await shim?.close()
  if (redis) {
    await deleteKeysUnder(redis, prefix)
    redis.disconnect()
  }
  rmSync(temp, { recursive: true, force: true })
})

/** The bench Worker's bindings for a runtime listening on `port`. */
function bindings(port: number) {
  return {
    vars: {
      SHARE_APP_URL: `http://${HOST_NAME}:${port}`,
      SHARE_HOST_URL: 'http://idp.localhost:4410',
      UPSTASH_REDIS_REST_URL: shim.url,
      SHARE_STORE_PREFIX: prefix,
    },
    secrets: { SHARE_SYNC_KEY: generateSyncKey(), UPSTASH_REDIS_REST_TOKEN: shim.token },
  }
}

interface Runtime {
  name: string
  port: number
  get(path: string, cookie?: string): Promise<{ status: number; body: string }>
  stop(): Promise<void>
}

/**
 * The bench Worker bundled once, from the workspace sources. Both runtimes run this file, so
 * a source edited meanwhile (wrangler dev watches its inputs) cannot reload the Worker, and
 * empty the memory store, in the middle of a run.
 */
async function bundle(): Promise<string> {
  const scriptPath = join(temp, 'worker.mjs')
  await build({
    entryPoints: [join(PACKAGE_DIR, 'bench', 'worker.ts')],
    outfile: scriptPath,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['@share/source', 'workerd', 'worker', 'browser'],
    logLevel: 'error',
  })
  return scriptPath
}

async function underWrangler(port: number): Promise<Runtime> {
  const config = join(temp, 'wrangler.json')
  const main = await bundle()
  writeFileSync(
    config,
    JSON.stringify({
      name: 'share-workers-bench',
      main,
      compatibility_date: '2026-04-26',
      no_bundle: true,
    }),
  )
  const wrangler = await startWrangler({
    config,
    port,
    inspectorPort: port + 1,
    host: `${HOST_NAME}:${port}`,
    ...bindings(port),
    ready: { path: '/bare', status: 200 },
  })
  return { name: 'wrangler dev', port, get: wrangler.get, stop: wrangler.stop }
}

/** The same Worker on the Miniflare API: workerd serving the port itself, no dev proxy. */
async function underMiniflare(port: number): Promise<Runtime> {
  const scriptPath = await bundle()
  const { vars, secrets } = bindings(port)
  const mf = new Miniflare({
    modules: true,
    modulesRoot: temp,
    scriptPath,
    compatibilityDate: '2026-04-26',
    bindings: { ...vars, ...secrets },
    host: '127.0.0.1',
    port,
    cf: false,
  })
  await mf.ready
  const get = async (path: string, cookie?: string) => {
    const headers: Record<string, string> = { host: `${HOST_NAME}:${port}` }
    if (cookie) headers.cookie = cookie
    const response = await mf.dispatchFetch(`http://${HOST_NAME}:${port}${path}`, { headers })
    return { status: response.status, body: await response.text() }
  }
  return { name: 'Miniflare', port, get, stop: () => mf.dispose() }
}

interface Variant {
  name: string
  path: string
  cookie?: string
}

interface Sample {
  rps: number
  p50: string
  p99: string
}

async function wrk(runtime: Runtime, variant: Variant, seconds: number): Promise<Sample> {
  const args = [`-t${WRK.threads}`, `-c${WRK.connections}`, `-d${seconds}s`, '--latency']
  args.push('-H', `Host: ${HOST_NAME}:${runtime.port}`)
  if (variant.cookie) args.push('-H', `Cookie: ${variant.cookie}`)
  args.push(`http://127.0.0.1:${runtime.port}${variant.path}`)
  const { stdout } = await run('wrk', args)
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1])
  const failed = /Non-2xx or 3xx responses:\s+(\d+)/.exec(stdout)
  if (!Number.isFinite(rps) || rps <= 0) throw new Error(`${variant.name}: wrk said\n${stdout}`)
  if (failed) throw new Error(`${variant.name}: ${failed[1]} non-2xx answers under load`)
  return {
    rps,
    p50: /^\s+50%\s+(\S+)/m.exec(stdout)?.[1] ?? '?',
    p99: /^\s+99%\s+(\S+)/m.exec(stdout)?.[1] ?? '?',
  }
}

const format = (n: number) => Math.round(n).toLocaleString('en-US')

async function measure(runtime: Runtime): Promise<void> {
  const loadBefore = loadavg()[0]!
  const cookieFor = async (store: string) =>
    (await runtime.get(`/__bench/session?store=${store}`)).body
  const variants: Variant[] = [
    { name: 'bare Worker (no session)', path: '/bare' },
    { name: 'cookie → Map (hand-written)', path: '/map', cookie: await cookieFor('map') },
    { name: '@share/workers, memory store', path: '/memory', cookie: await cookieFor('memory') },
    {
      name: '@share/workers, upstashStore (shim)',
      path: '/upstash',
      cookie: await cookieFor('upstash'),
    },
  ]
  // Every session variant answers the user with its cookie, and refuses none or a tampered one.
  for (const variant of variants.slice(1)) {
    expect(await runtime.get(variant.path, variant.cookie)).toEqual({
      status: 200,
      body: 'hello alice',
    })
    expect((await runtime.get(variant.path)).status).toBe(401)
    const cookie = variant.cookie!
    const tampered = `${cookie.slice(0, -3)}${cookie.endsWith('AAA') ? 'BBB' : 'AAA'}`
    expect((await runtime.get(variant.path, tampered)).status).toBe(401)
  }

  for (const variant of variants) await wrk(runtime, variant, WRK.warmupSeconds)
  const samples = new Map<string, Sample[]>(variants.map((v) => [v.name, []]))
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < variants.length; i++) {
      const variant = variants[(i + round) % variants.length]!
      samples.get(variant.name)!.push(await wrk(runtime, variant, WRK.seconds))
    }
  }
  const rows = variants.map((variant) => {
    const sorted = [...samples.get(variant.name)!].sort((a, b) => a.rps - b.rps)
    const median = sorted[Math.floor(sorted.length / 2)]!
    return { variant, median, low: sorted[0]!.rps, high: sorted.at(-1)!.rps }
  })
  const bare = rows[0]!.median.rps
  const map = rows[1]!.median.rps
  console.log(
    `\n@share/workers under ${runtime.name}, wrk -t${WRK.threads} -c${WRK.connections} ` +
      `-d${WRK.seconds}s on loopback; median of ${ROUNDS} interleaved rounds after a ` +
      `${WRK.warmupSeconds} s warm-up (range in brackets; latency of the median round; ` +
      `1-minute load average ${loadBefore.toFixed(1)} → ${loadavg()[0]!.toFixed(1)} on ` +
      `${availableParallelism()} cores)\n`,
  )
  console.log('| Worker | req/s (range) | p50 / p99 | ÷ bare | ÷ cookie → Map |')
  console.log('| --- | --- | --- | --- | --- |')
  for (const { variant, median, low, high } of rows) {
    console.log(
      `| ${variant.name} | ${format(median.rps)} (${format(low)}–${format(high)}) | ` +
        `${median.p50} / ${median.p99} | ${(median.rps / bare).toFixed(2)}x | ` +
        `${(median.rps / map).toFixed(2)}x |`,
    )
  }
}

it('authenticated requests/s under wrangler dev', async () => {
  const runtime = await underWrangler(4420)
  try {
    await measure(runtime)
  } finally {
    await runtime.stop()
  }
})

it('authenticated requests/s under Miniflare', async () => {
  const runtime = await underMiniflare(4422)
  try {
    await measure(runtime)
  } finally {
    await runtime.stop()
  }
  console.log(
    '\nThe upstash rows include one HTTP round trip per request to the shim, a Node process ' +
      'on the same cores as workerd and wrk.',
  )
})
