// The adapter floors of issue 9: authenticated requests/s through
// `shareRemote` over a hand-written cookie→Map (or cookie→Redis GET)
// middleware sending the same `Cache-Control: no-store` on the same framework.
// Targets: Hono ≥ 0.95x on both stores, Express ≥ 0.90x on the memory store.
//
// Judged from paired rounds (../../../bench-paired.ts): in each round both
// servers take load at the same time, sharing one core, each from its own
// wrk, so a burst of hypervisor steal slows both alike; the ratio of what
// they served is one sample. Rounds come from several process pairs
// (BENCH_FLOOR_PROCESSES), each started afresh, since two processes of the
// same code differ by a few percent. The verdict is the median ratio with its
// 95% interval. Pinning also holds each server's libuv thread pool to that
// core; neither side's hot path uses it (Share verifies a cookie's MAC once).
//
// Beside it, where valgrind is installed, a count that no other load on the
// machine moves: the instructions the server's main thread executes per
// request (callgrind, after a warm-up), and those of every thread (V8's
// garbage collector and compiler threads too). It leaves out the kernel's
// share (the socket writes, the same for both), so its ratio is lower than
// the one by requests/s. BENCH_INSTRUCTIONS=0 skips it (3–4 minutes a pair).

import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { Agent, get } from 'node:http'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, it } from 'vitest'
import {
  formatInterval,
  medianInterval,
  pairedRounds,
  pinning,
  pinProcess,
  verdict,
} from '../../../bench-paired.ts'
import { startServer as startRedis, type TestServer } from '../../store-redis/test/servers.ts'
import {
  assertSignedIn,
  cpuTicks,
  type Running,
  startServer,
  stealNote,
  WRK,
  wrk,
} from './harness.ts'
import type { Setup } from './server/setup.ts'

const PROCESSES = Number(process.env.BENCH_FLOOR_PROCESSES ?? 3)
const ROUNDS = Number(process.env.BENCH_FLOOR_ROUNDS ?? 10)
const SECONDS = 2
const INSTRUCTIONS = process.env.BENCH_INSTRUCTIONS !== '0' && hasValgrind()
if (!INSTRUCTIONS && process.env.BENCH_INSTRUCTIONS !== '0') {
  console.log(
    'floor.bench: no callgrind counts, valgrind is not installed (apt-get install valgrind)',
  )
}
const WARM_REQUESTS = 20_000
const COUNTED_REQUESTS = 10_000

interface Pair {
  name: string
  share: Setup
  minimal: Setup
  floor: number
  /** Also counted with callgrind. */
  instructions: boolean
}

const PAIRS: Pair[] = [
  {
    name: 'Hono + memory store',
    share: { framework: 'hono', kind: 'share', store: 'memory', guard: false },
    minimal: { framework: 'hono', kind: 'minimal', store: 'map', noStore: true },
    floor: 0.95,
    instructions: true,
  },
  {
    name: 'Hono + Redis',
    share: { framework: 'hono', kind: 'share', store: 'redis', guard: false },
    minimal: { framework: 'hono', kind: 'minimal', store: 'redis', noStore: true },
    floor: 0.95,
    instructions: true,
  },
  {
    name: 'Express + memory store',
    share: { framework: 'express', kind: 'share', store: 'memory', guard: false },
    minimal: { framework: 'express', kind: 'minimal', store: 'map', noStore: true },
    floor: 0.9,
    instructions: false,
  },
]

/** BENCH_FLOOR_ONLY=redis: only the pairs whose name holds it (case-insensitive). */
const only = process.env.BENCH_FLOOR_ONLY?.toLowerCase()
const pairs = PAIRS.filter((pair) => only === undefined || pair.name.toLowerCase().includes(only))
if (pairs.length === 0) {
  throw new Error(
    `BENCH_FLOOR_ONLY=${only} names no pair; the pairs: ${PAIRS.map((p) => p.name).join(', ')}`,
  )
}

const pins = pinning()
const prefix = `bench-floor-${Date.now()}:`
let redis: TestServer
const running: Running[] = []

beforeAll(async () => {
  redis = await startRedis()
  pinProcess(redis.process.pid, pins)
})

afterAll(async () => {
  for (const server of running) await server.close()
  await redis?.stop()
})

async function start(setup: Setup, wrapper: readonly string[], readyMs?: number) {
  const server = await startServer(setup, { redisUrl: redis.url, prefix, wrapper, readyMs })
  running.push(server)
  return server
}

const label = (setup: Setup) => `${setup.framework} ${setup.kind}`

/** The paired rounds of one pair over fresh process pairs; per-process medians beside the pool. */
async function measurePair(pair: Pair) {
  const all: { rps: number; cpu: number }[] = []
  const perProcess: number[] = []
  for (let p = 0; p < PROCESSES; p++) {
    const share = await start(pair.share, pins.server)
    const minimal = await start(pair.minimal, pins.server)
    try {
      await assertSignedIn(label(pair.share), share)
      await assertSignedIn(label(pair.minimal), minimal)
      const side = (which: 'candidate' | 'baseline') =>
        which === 'candidate'
          ? ([label(pair.share), share] as const)
          : ([label(pair.minimal), minimal] as const)
      // Warm-up (JIT, caches), both at once as in the rounds.
      await Promise.all([
        wrk(...side('candidate'), 1, pins.load),
        wrk(...side('baseline'), 1, pins.load),
      ])
      const samples = await pairedRounds(ROUNDS, (which) => wrk(...side(which), SECONDS, pins.load))
      all.push(...samples)
      perProcess.push(medianInterval(samples.map((s) => s.rps)).median)
    } finally {
      await share.close()
      await minimal.close()
    }
  }
  return {
    rps: medianInterval(all.map((s) => s.rps)),
    cpu: medianInterval(all.map((s) => s.cpu)),
    perProcess,
  }
}

it('the adapter floors, from paired rounds', async () => {
  const stealBefore = cpuTicks()
  const results = []
  for (const pair of pairs) results.push({ pair, ...(await measurePair(pair)) })
  console.log(
    `\nThe adapter floors: shareRemote over the minimal lookup on the same store, ` +
      '`Cache-Control: no-store` on both. Each sample is one round of wrk ' +
      `-t${WRK.threads} -c${WRK.connections} -d${SECONDS}s against each server, both at the same time ` +
      `on a shared core; ${ROUNDS} rounds after a warm-up, in each of ${PROCESSES} fresh ` +
      `process pairs (Node ${process.version}, ${availableParallelism()} cores, ${pins.note}` +
      `${stealNote(stealBefore, cpuTicks())})\n`,
  )
  console.log(
    '| pair | req/s ratio, median of the rounds | per process pair | by server CPU time per request | target |',
  )
  console.log('| --- | ---: | ---: | ---: | --- |')
  for (const { pair, rps, cpu, perProcess } of results) {
    console.log(
      `| ${pair.name} | ${formatInterval(rps)} | ${perProcess.map((r) => r.toFixed(2)).join(', ')} | ` +
        `${formatInterval(cpu)} | ≥ ${pair.floor.toFixed(2)}x: ${verdict(rps, pair.floor)} |`,
    )
  }
})

// ---------------------------------------------------------------- instructions

function hasValgrind(): boolean {
  try {
    execFileSync('valgrind', ['--version'], { stdio: 'ignore' })
    execFileSync('callgrind_control', ['--version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

/** `n` authenticated GET / over 4 keep-alive connections; every answer must be a 200. */
async function load(server: Running, n: number): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: 4 })
  const url = new URL(server.url)
  const headers = server.cookie ? { cookie: server.cookie } : {}
  let started = 0
  const worker = async () => {
    while (started < n) {
      started++
      await new Promise<void>((resolve, reject) => {
        const request = get(
          { host: url.hostname, port: url.port, path: '/', agent, headers },
          (response) => {
            response.resume()
            response.on('end', () =>
              response.statusCode === 200
                ? resolve()
                : reject(new Error(`${server.url}: ${response.statusCode} under callgrind`)),
            )
          },
        )
        request.on('error', reject)
      })
    }
  }
  await Promise.all([worker(), worker(), worker(), worker()])
  agent.destroy()
}

/** Instructions per request: the server's main thread, and all its threads. */
async function countInstructions(setup: Setup): Promise<{ main: number; all: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'share-callgrind-'))
  const server = await start(
    setup,
    [
      'valgrind',
      '--tool=callgrind',
      '-q',
      // V8 writes the code it runs: without this, valgrind would run stale translations.
      '--smc-check=all-non-file',
      '--instr-atstart=no',
      '--separate-threads=yes',
      `--callgrind-out-file=${join(dir, 'cg.%p')}`,
    ],
    5 * 60_000,
  )
  try {
    await load(server, WARM_REQUESTS)
    const control = (option: string) =>
      execFileSync('callgrind_control', [option, String(server.pid)], { stdio: 'ignore' })
    control('--instr=on')
    await load(server, COUNTED_REQUESTS)
    control('--instr=off')
    control('--dump')
    // The dump: one file per thread, `cg.<pid>.1-<thread>`; thread 01 is the main thread.
    const files = readdirSync(dir).filter((name) => name.startsWith(`cg.${server.pid}.1-`))
    const totals = (name: string) =>
      Number(/^totals:\s+(\d+)/m.exec(readFileSync(join(dir, name), 'utf8'))?.[1] ?? 0)
    const main = files.find((name) => name.endsWith('-01'))
    if (main === undefined) throw new Error(`${label(setup)}: callgrind wrote no dump in ${dir}`)
    const all = files.reduce((sum, name) => sum + totals(name), 0)
    return { main: totals(main) / COUNTED_REQUESTS, all: all / COUNTED_REQUESTS }
  } finally {
    await server.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

it.runIf(INSTRUCTIONS)('the adapter floors, by instructions per request (callgrind)', async () => {
  const rows = []
  for (const pair of pairs.filter((p) => p.instructions)) {
    const share = await countInstructions(pair.share)
    const minimal = await countInstructions(pair.minimal)
    rows.push({ pair, share, minimal })
  }
  console.log(
    `\nInstructions per authenticated request, counted by callgrind over ${COUNTED_REQUESTS.toLocaleString('en-US')} ` +
      `requests after ${WARM_REQUESTS.toLocaleString('en-US')} of warm-up (4 keep-alive connections); ` +
      'user space only: the kernel’s share (socket reads and writes, the same for both) is not in it\n',
  )
  console.log(
    '| pair | Share, main thread | minimal, main thread | ratio (minimal ÷ Share) | all threads (Share, minimal) | ratio |',
  )
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |')
  const k = (n: number) => `${(n / 1000).toFixed(1)}k`
  for (const { pair, share, minimal } of rows) {
    console.log(
      `| ${pair.name} | ${k(share.main)} | ${k(minimal.main)} | ${(minimal.main / share.main).toFixed(3)}x | ` +
        `${k(share.all)}, ${k(minimal.all)} | ${(minimal.all / share.all).toFixed(3)}x |`,
    )
  }
})
