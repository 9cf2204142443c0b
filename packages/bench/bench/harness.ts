// What the HTTP benchmarks share: a benchmark server of one setup in a Node
// process of its own (bench/server/main.ts), wrk against it with the server's
// CPU time over the same interval, and the hypervisor's steal over a table.

import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import type { CpuReply, Ready, Setup } from './server/setup.ts'

const run = promisify(execFile)

export const WRK = { threads: 1, connections: 16 }

export interface Running {
  url: string
  /** The Cookie header of a signed-in request; null for the bare app. */
  cookie: string | null
  expected: string
  /** The server's process id (under valgrind: valgrind's, which is the same process). */
  pid: number
  /** The server process's CPU time so far, µs. */
  cpuUs(): Promise<number>
  close(): Promise<void>
}

const SERVER_MAIN = fileURLToPath(new URL('./server/main.ts', import.meta.url))

export interface StartOptions {
  redisUrl: string
  prefix: string
  /** A command the server runs under: `taskset -c 1`, or valgrind's. */
  wrapper?: readonly string[]
  /** How long it may take to listen (valgrind is slow to start). */
  readyMs?: number | undefined
}

/** Starts one setup's server in a Node process of its own; resolves once it listens. */
export function startServer(setup: Setup, options: StartOptions): Promise<Running> {
  const [command, ...args] = [
    ...(options.wrapper ?? []),
    process.execPath,
    '--import',
    'tsx',
    SERVER_MAIN,
    JSON.stringify(setup),
  ]
  const child: ChildProcess = spawn(command!, args, {
    env: { ...process.env, BENCH_REDIS_URL: options.redisUrl, BENCH_PREFIX: options.prefix },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  })
  const readyMs = options.readyMs ?? 30_000
  return new Promise((resolve, reject) => {
    let output = ''
    const timer = setTimeout(
      () => reject(new Error(`${setup.kind}: not ready in ${readyMs / 1000} s`)),
      readyMs,
    )
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${setup.framework} ${setup.kind}: server exited (${code})`))
    })
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk
      const line = output.split('\n').find((l) => l.startsWith('{'))
      if (!line || !output.includes('\n')) return
      clearTimeout(timer)
      child.removeAllListeners('exit')
      const ready = JSON.parse(line) as Ready
      resolve({
        url: `http://127.0.0.1:${ready.port}`,
        cookie: ready.cookie,
        expected: ready.expected,
        pid: child.pid!,
        cpuUs: () =>
          new Promise((answer) => {
            child.once('message', (reply) => answer((reply as CpuReply).cpuUs))
            child.send('cpu')
          }),
        close: () =>
          new Promise((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done()
            child.once('exit', () => done())
            child.kill('SIGTERM')
          }),
      })
    })
  })
}

export interface WrkResult {
  rps: number
  /** CPU time of the server's process (user + system, every thread) per request served. */
  cpuUs: number
  p50: string
  p99: string
}

/**
 * wrk against the server's `/` with its cookie for `seconds`; `name` labels
 * errors; `wrapper` pins wrk to its cores. A non-2xx answer under load fails.
 */
export async function wrk(
  name: string,
  server: Running,
  seconds: number,
  wrapper: readonly string[] = [],
): Promise<WrkResult> {
  const args = [
    `-t${WRK.threads}`,
    `-c${WRK.connections}`,
    `-d${seconds}s`,
    '--latency',
    ...(server.cookie ? ['-H', `Cookie: ${server.cookie}`] : []),
    `${server.url}/`,
  ]
  const [command, ...rest] = [...wrapper, 'wrk', ...args]
  const before = await server.cpuUs()
  const { stdout } = await run(command!, rest)
  const used = (await server.cpuUs()) - before
  const requests = Number(/(\d+) requests in/.exec(stdout)?.[1])
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1])
  const failed = /Non-2xx or 3xx responses:\s+(\d+)/.exec(stdout)
  const socketErrors = /Socket errors:[^\n]*/.exec(stdout)
  if (!Number.isFinite(rps) || rps <= 0) throw new Error(`${name}: wrk said\n${stdout}`)
  if (failed) throw new Error(`${name}: ${failed[1]} non-2xx answers under load`)
  if (socketErrors) console.log(`  (${name}: ${socketErrors[0]})`)
  return {
    rps,
    cpuUs: used / requests,
    p50: /^\s+50%\s+(\S+)/m.exec(stdout)?.[1] ?? '?',
    p99: /^\s+99%\s+(\S+)/m.exec(stdout)?.[1] ?? '?',
  }
}

/** One authenticated request: it must be a 200 naming the user (a 302 is an unrecognised session). */
export async function assertSignedIn(name: string, server: Running): Promise<void> {
  const { url, cookie, expected } = server
  const response = await fetch(`${url}/`, {
    headers: cookie ? { cookie } : {},
    redirect: 'manual',
  })
  const body = await response.text()
  if (response.status !== 200 || body !== expected) {
    throw new Error(`${name}: expected 200 "${expected}", got ${response.status} "${body}"`)
  }
}

/** Aggregate CPU ticks from /proc/stat (Linux): all, and stolen by the hypervisor. */
export function cpuTicks(): { total: number; steal: number } | null {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1)
    const ticks = fields.map(Number)
    return { total: ticks.reduce((a, b) => a + b, 0), steal: ticks[7] ?? 0 }
  } catch {
    return null
  }
}

/** "; CPU stolen by the hypervisor during the table: N%", or nothing off Linux. */
export function stealNote(
  before: ReturnType<typeof cpuTicks>,
  after: ReturnType<typeof cpuTicks>,
): string {
  if (!before || !after || after.total === before.total) return ''
  const percent = ((after.steal - before.steal) / (after.total - before.total)) * 100
  return `; CPU stolen by the hypervisor during the table: ${percent.toFixed(1)}%`
}
