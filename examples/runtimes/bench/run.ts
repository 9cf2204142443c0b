// `pnpm bench` (or `pnpm --filter @share/example-runtimes bench`): on Bun and
// on Deno, authenticated requests/s through Hono + `shareRemote` (memory
// store) over a hand-written cookie→Map middleware sending the same
// `Cache-Control: no-store` on the same runtime (target ≥ 0.85x). Judged from
// paired rounds (../../../bench-paired.ts): each variant in a process of its
// own, both loaded at once by their own wrk on one shared core, so a burst of
// hypervisor steal slows both alike; the ratio of what they served in a round
// is one sample, pooled over fresh process pairs; the median with its 95%
// interval. Beside it, the same ratio from each process's CPU time per request
// (from /proc, Linux).
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { availableParallelism } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import {
  formatInterval,
  medianInterval,
  type PairedSample,
  pairedRounds,
  pinning,
  type RoundFigure,
  verdict,
} from '../../../bench-paired.ts'

const run = promisify(execFile)
const ROOT = fileURLToPath(new URL('..', import.meta.url))
const require = createRequire(import.meta.url)
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`))
const PROCESSES = Number(process.env.BENCH_FLOOR_PROCESSES ?? 3)
const ROUNDS = Number(process.env.BENCH_FLOOR_ROUNDS ?? 10)
const SECONDS = 2
const CONNECTIONS = 16
const TARGET = 0.85
const pins = pinning()

interface Runtime {
  name: string
  bin: string
  args: string[]
  ports: { share: number; minimalNoStore: number }
}

const RUNTIMES: Runtime[] = [
  {
    name: 'Bun',
    bin: join(packageDir('bun'), 'bin', 'bun.exe'),
    args: ['bench/server.ts'],
    ports: { share: 4550, minimalNoStore: 4552 },
  },
  {
    name: 'Deno',
    bin: join(packageDir('deno'), 'deno'),
    args: ['run', '--allow-net', '--allow-env', '--allow-read', 'bench/server.ts'],
    ports: { share: 4560, minimalNoStore: 4562 },
  },
]

interface Server {
  child: ChildProcess
  url: string
  cookie: string
}

/** Starts one variant's server (pinned); resolves once it printed its cookies. */
function start(runtime: Runtime, variant: 'share' | 'minimalNoStore'): Promise<Server> {
  const port = runtime.ports[variant]
  const [command, ...args] = [...pins.server, runtime.bin, ...runtime.args]
  const child = spawn(command!, args, {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NO_COLOR: '1',
      DENO_DIR: join(ROOT, '.deno'),
      ...(variant === 'share' ? { PORT_SHARE: String(port) } : {}),
      ...(variant === 'minimalNoStore' ? { PORT_MINIMAL_NO_STORE: String(port) } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  let errors = ''
  child.stderr!.on('data', (chunk) => {
    errors += chunk
  })
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${runtime.name}: not ready in 10 s\n${errors}`)),
      10_000,
    )
    child.stdout!.on('data', (chunk) => {
      output += chunk
      const line = output.split('\n').find((l) => l.startsWith('{'))
      if (!line || !output.includes('\n')) return
      clearTimeout(timer)
      child.removeAllListeners('exit')
      const cookies = JSON.parse(line) as { share: string; minimal: string }
      resolve({
        child,
        url: `http://127.0.0.1:${port}/`,
        cookie: variant === 'share' ? cookies.share : cookies.minimal,
      })
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${runtime.name}: exited (${code})\n${errors}`))
    })
  })
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
}

/** The variant answers a signed-in request with 200 and `hello bench`, an anonymous one with 401. */
async function check(server: Server): Promise<void> {
  const response = await fetch(server.url, { headers: { cookie: server.cookie } })
  const text = await response.text()
  if (response.status !== 200 || text !== 'hello bench') {
    throw new Error(`${server.url} answered ${response.status} ${text.slice(0, 40)}: not signed in`)
  }
  const anonymous = await fetch(server.url)
  await anonymous.text()
  if (anonymous.status !== 401) throw new Error(`${server.url} let an anonymous request through`)
}

/** The process's user + system CPU time so far, in µs (NaN off Linux). */
function cpuUs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
    return (Number(fields[11]) + Number(fields[12])) * (1e6 / 100) // USER_HZ is 100 on Linux
  } catch {
    return Number.NaN
  }
}

/** One wrk round against a server: requests/s, and its CPU µs per request. */
async function wrk(server: Server, seconds: number): Promise<RoundFigure> {
  const before = cpuUs(server.child.pid)
  const [command, ...args] = [
    ...pins.load,
    'wrk',
    '-t1',
    `-c${CONNECTIONS}`,
    `-d${seconds}s`,
    '-H',
    `Cookie: ${server.cookie}`,
    server.url,
  ]
  const { stdout } = await run(command!, args)
  const used = cpuUs(server.child.pid) - before
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1])
  const requests = Number(/(\d+) requests in/.exec(stdout)?.[1])
  const failed = /Non-2xx or 3xx responses:\s+(\d+)/.exec(stdout)
  if (!Number.isFinite(rps) || rps <= 0) throw new Error(`wrk gave no figure for ${server.url}`)
  if (failed) throw new Error(`${server.url}: ${failed[1]} non-2xx answers under load`)
  return { rps, cpuUs: used / requests }
}

const rows = []
for (const runtime of RUNTIMES) {
  const samples: PairedSample[] = []
  const perProcess: number[] = []
  const throughput: { share: number[]; minimal: number[] } = { share: [], minimal: [] }
  for (let p = 0; p < PROCESSES; p++) {
    const share = await start(runtime, 'share')
    const minimal = await start(runtime, 'minimalNoStore')
    try {
      await check(share)
      await check(minimal)
      await Promise.all([wrk(share, 1), wrk(minimal, 1)]) // warm-up: JIT, caches
      const round = await pairedRounds(ROUNDS, async (side) => {
        const figure = await wrk(side === 'candidate' ? share : minimal, SECONDS)
        throughput[side === 'candidate' ? 'share' : 'minimal'].push(figure.rps)
        return figure
      })
      samples.push(...round)
      perProcess.push(medianInterval(round.map((s) => s.rps)).median)
    } finally {
      await stop(share.child)
      await stop(minimal.child)
    }
  }
  rows.push({
    runtime: runtime.name,
    rps: medianInterval(samples.map((s) => s.rps)),
    cpu: medianInterval(samples.map((s) => s.cpu)),
    perProcess,
    share: medianInterval(throughput.share).median,
    minimal: medianInterval(throughput.minimal).median,
  })
}

console.log(
  '\nHono + shareRemote (memory store) over a cookie→Map middleware sending the same' +
    ' Cache-Control: no-store, authenticated GET /. Each sample is one round of' +
    ` wrk -t1 -c${CONNECTIONS} -d${SECONDS}s against each server, both at the same time on a` +
    ` shared core; ${ROUNDS} rounds after a warm-up in each of ${PROCESSES} fresh process pairs` +
    ` (${availableParallelism()} cores, ${pins.note}; req/s while sharing the core, so about half` +
    ' of what one server alone serves):\n',
)
console.log(
  '| runtime | Share req/s | cookie→Map + no-store req/s | req/s ratio, median of the rounds | per process pair | by CPU time per request | target |',
)
console.log('| --- | ---: | ---: | ---: | ---: | ---: | --- |')
for (const row of rows) {
  const format = (n: number) => Math.round(n).toLocaleString('en-US')
  console.log(
    `| ${row.runtime} | ${format(row.share)} | ${format(row.minimal)} | ${formatInterval(row.rps)} ` +
      `| ${row.perProcess.map((r) => r.toFixed(2)).join(', ')} | ${formatInterval(row.cpu)} ` +
      `| ≥ ${TARGET.toFixed(2)}x: ${verdict(row.rps, TARGET)} |`,
  )
}
