// `pnpm bench` (or `pnpm --filter @share/example-runtimes bench`): on Bun and
// on Deno, authenticated requests/s through Hono + `shareRemote` (memory
// store) beside a hand-written cookie→Map middleware on the same runtime, with
// and without the `Cache-Control: no-store` Share sends on a signed-in page,
// with wrk on loopback. Interleaved short rounds, the median of each; the ratio is
// Share's median over the minimal one's, from this one run. Beside it, the
// server process's CPU time per request (from /proc, Linux), which other load
// on the machine moves far less than requests/s.
import { execFile, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { loadavg } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const run = promisify(execFile)
const ROOT = fileURLToPath(new URL('..', import.meta.url))
const require = createRequire(import.meta.url)
const packageDir = (/** @type {string} */ name) => dirname(require.resolve(`${name}/package.json`))
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7)
const SECONDS = Number(process.env.BENCH_WRK_SECONDS ?? 2)
const CONNECTIONS = 16
const TARGET = 0.85

const RUNTIMES = [
  {
    name: 'Bun',
    bin: join(packageDir('bun'), 'bin', 'bun.exe'),
    args: ['bench/server.ts'],
    ports: { share: 4550, minimal: 4551, minimalNoStore: 4552 },
  },
  {
    name: 'Deno',
    bin: join(packageDir('deno'), 'deno'),
    args: ['run', '--allow-net', '--allow-env', '--allow-read', 'bench/server.ts'],
    ports: { share: 4560, minimal: 4561, minimalNoStore: 4562 },
  },
]

/** Starts the server; resolves with the process and the cookies it printed (kept off the console). */
function start(/** @type {(typeof RUNTIMES)[number]} */ runtime) {
  const child = spawn(runtime.bin, runtime.args, {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NO_COLOR: '1',
      DENO_DIR: join(ROOT, '.deno'),
      PORT_SHARE: String(runtime.ports.share),
      PORT_MINIMAL: String(runtime.ports.minimal),
      PORT_MINIMAL_NO_STORE: String(runtime.ports.minimalNoStore),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  let errors = ''
  child.stderr.on('data', (chunk) => {
    errors += chunk
  })
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${runtime.name}: not ready in 10 s\n${errors}`)),
      10_000,
    )
    child.stdout.on('data', (chunk) => {
      output += chunk
      const line = output.split('\n').find((l) => l.startsWith('{'))
      if (line && output.includes('\n')) {
        clearTimeout(timer)
        resolve({
          child,
          cookies: /** @type {{ share: string, minimal: string }} */ (JSON.parse(line)),
        })
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${runtime.name}: exited (${code})\n${errors}`))
    })
  })
}

function stop(/** @type {import('node:child_process').ChildProcess} */ child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(undefined)
    child.once('exit', () => resolve(undefined))
    child.kill('SIGTERM')
  })
}

/** Checks the variant answers a signed-in request with 200 and `hello bench`. */
async function check(/** @type {string} */ url, /** @type {string} */ cookie) {
  const response = await fetch(url, { headers: { cookie } })
  const text = await response.text()
  if (response.status !== 200 || text !== 'hello bench') {
    throw new Error(`${url} answered ${response.status} ${text.slice(0, 40)}: not signed in`)
  }
  const anonymous = await fetch(url)
  await anonymous.text()
  if (anonymous.status !== 401) throw new Error(`${url} let an anonymous request through`)
}

/** The process's user + system CPU time so far, in clock ticks (null off Linux). */
function cpuTicks(/** @type {number | undefined} */ pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
    return Number(fields[11]) + Number(fields[12])
  } catch {
    return null
  }
}
const TICK_US = 1e6 / 100 // USER_HZ is 100 on Linux

/** One wrk round: requests/s, and the server's CPU µs per request (NaN if unknown). */
async function wrk(
  /** @type {string} */ url,
  /** @type {string} */ cookie,
  /** @type {number} */ seconds,
  /** @type {number | undefined} */ pid,
) {
  const before = cpuTicks(pid)
  const args = ['-t1', `-c${CONNECTIONS}`, `-d${seconds}s`, '-H', `Cookie: ${cookie}`, url]
  const { stdout } = await run('wrk', args)
  const after = cpuTicks(pid)
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1])
  const requests = Number(/(\d+) requests in/.exec(stdout)?.[1])
  const failed = /Non-2xx or 3xx responses:\s+(\d+)/.exec(stdout)
  if (!Number.isFinite(rps) || rps <= 0) throw new Error(`wrk gave no figure for ${url}`)
  if (failed) throw new Error(`${url}: ${failed[1]} non-2xx answers under load`)
  const cpuUs =
    before === null || after === null ? Number.NaN : ((after - before) * TICK_US) / requests
  return { rps, cpuUs }
}

const median = (/** @type {number[]} */ values) => {
  const sorted = [...values].sort((a, b) => a - b)
  return /** @type {number} */ (sorted[Math.floor(sorted.length / 2)])
}
const format = (/** @type {number} */ n) => Math.round(n).toLocaleString('en-US')

const VARIANTS = /** @type {const} */ (['share', 'minimal', 'minimalNoStore'])

const rows = []
for (const runtime of RUNTIMES) {
  const { child, cookies } = await start(runtime)
  try {
    /** @type {(variant: (typeof VARIANTS)[number]) => { url: string, cookie: string }} */
    const target = (variant) => ({
      url: `http://127.0.0.1:${runtime.ports[variant]}/`,
      cookie: variant === 'share' ? cookies.share : cookies.minimal,
    })
    for (const variant of VARIANTS) await check(target(variant).url, target(variant).cookie)
    // Warm-up: JIT, caches.
    for (const variant of VARIANTS) {
      await wrk(target(variant).url, target(variant).cookie, 1, child.pid)
    }
    /** @type {Record<(typeof VARIANTS)[number], { rps: number, cpuUs: number }[]>} */
    const figures = { share: [], minimal: [], minimalNoStore: [] }
    for (let round = 0; round < ROUNDS; round++) {
      // Rotate which goes first, so a drift in the machine's load hits all alike.
      for (let i = 0; i < VARIANTS.length; i++) {
        const variant = /** @type {(typeof VARIANTS)[number]} */ (
          VARIANTS[(i + round) % VARIANTS.length]
        )
        const { url, cookie } = target(variant)
        figures[variant].push(await wrk(url, cookie, SECONDS, child.pid))
      }
    }
    const rps = (/** @type {(typeof VARIANTS)[number]} */ v) => median(figures[v].map((f) => f.rps))
    const cpu = (/** @type {(typeof VARIANTS)[number]} */ v) =>
      median(figures[v].map((f) => f.cpuUs))
    rows.push({
      runtime: runtime.name,
      share: rps('share'),
      minimal: rps('minimal'),
      minimalNoStore: rps('minimalNoStore'),
      ratio: rps('share') / rps('minimalNoStore'),
      ratioWithout: rps('share') / rps('minimal'),
      shareCpu: cpu('share'),
      minimalCpu: cpu('minimalNoStore'),
      cpuRatio: cpu('minimalNoStore') / cpu('share'),
    })
  } finally {
    await stop(child)
  }
}

console.log(
  `\nHono + shareRemote (memory store) beside a cookie→Map middleware with the same` +
    ` Cache-Control: no-store (and without it), authenticated GET /,` +
    `\nwrk -t1 -c${CONNECTIONS}, median of ${ROUNDS} interleaved ${SECONDS} s rounds, loopback` +
    ` (load average at the end: ${loadavg()[0]?.toFixed(1)}):\n`,
)
console.log(
  '| runtime | Share req/s | cookie→Map + no-store req/s | ratio | cookie→Map req/s (no header) | ratio | server CPU µs/req (Share, cookie→Map + no-store) | CPU ratio |',
)
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |')
for (const row of rows) {
  console.log(
    `| ${row.runtime} | ${format(row.share)} | ${format(row.minimalNoStore)} | ${row.ratio.toFixed(2)}x ` +
      `| ${format(row.minimal)} | ${row.ratioWithout.toFixed(2)}x ` +
      `| ${row.shareCpu.toFixed(1)}, ${row.minimalCpu.toFixed(1)} | ${row.cpuRatio.toFixed(2)}x |`,
  )
}
console.log(
  "\nCPU ratio: the no-store cookie→Map server's CPU per request over Share's (1.00x: same cost);" +
    ' all three servers share one process, so the CPU figures are the process over each round.',
)
const below = rows.filter((row) => row.ratio < TARGET)
if (below.length > 0) {
  console.log(`\nBelow the ${TARGET}x target: ${below.map((row) => row.runtime).join(', ')}`)
}
