// Spawning Bun and Deno from vitest: the binaries the npm registry installed
// into this package, a ready line on stdout, and a clean stop.
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))
const packageDir = (name: string) =>
  dirname(createRequire(import.meta.url).resolve(`${name}/package.json`))

// The binaries themselves, not node_modules/.bin's shell wrappers: a signal
// to a wrapper would leave the runtime running.
const BUN = join(packageDir('bun'), 'bin', 'bun.exe')
const DENO = join(packageDir('deno'), 'deno')
/** Deno's cache, kept in this package (gitignored). */
const DENO_DIR = here('../.deno')

export type Runtime = 'bun' | 'deno'

/** The command line that runs `file` (relative to this package) on a runtime. */
export function command(runtime: Runtime, file: string, args: string[] = []): [string, string[]] {
  const path = here(`../${file}`)
  if (runtime === 'bun') return [BUN, [path, ...args]]
  const permissions = ['--allow-net', '--allow-env', '--allow-read']
  // Core's TypeScript sources import `./x.js` meaning `./x.ts`: Bun maps it by itself, Deno
  // only with --sloppy-imports. The server entries import built dist/ and need no flag.
  const sloppy = file.endsWith('vectors.ts') ? ['--sloppy-imports'] : []
  return [DENO, ['run', ...permissions, ...sloppy, path, ...args]]
}

function runtimeEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, DENO_DIR, NO_COLOR: '1', ...extra }
}

/** Fails early, with what to do, when the built packages the entries import are missing. */
export function assertBuilt(): void {
  for (const pkg of ['packages/core', 'adapters/hono', 'packages/store-redis']) {
    if (!existsSync(here(`../../../${pkg}/dist/index.js`))) {
      throw new Error(
        `${pkg}/dist is missing: run pnpm turbo run build --filter=@share/example-runtimes...`,
      )
    }
  }
}

/** Runs a script to its end; resolves with its stdout (rejects with its stderr). */
export function runScript(runtime: Runtime, file: string, args: string[]): Promise<string> {
  const [bin, argv] = command(runtime, file, args)
  return new Promise((resolve, reject) => {
    execFile(bin, argv, { env: runtimeEnv({}), timeout: 15_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${runtime} ${file} failed: ${stderr.trim() || error.message}`))
      else resolve(stdout)
    })
  })
}

const running = new Set<ChildProcess>()
// Should a test file die before its afterAll, its servers go with it.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL')
})

function track(child: ChildProcess): ChildProcess {
  running.add(child)
  child.once('exit', () => running.delete(child))
  return child
}

export interface Server {
  child: ChildProcess
  stop(): Promise<void>
}

/** Starts a server entry and resolves once it prints its `ready:` line. */
export function startServer(
  runtime: Runtime,
  file: string,
  env: Record<string, string>,
): Promise<Server> {
  const [bin, argv] = command(runtime, file)
  const child = track(spawn(bin, argv, { env: runtimeEnv(env), stdio: ['ignore', 'pipe', 'pipe'] }))
  let output = ''
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve()
      const force = setTimeout(() => child.kill('SIGKILL'), 2_000)
      child.once('exit', () => {
        clearTimeout(force)
        resolve()
      })
      child.kill('SIGTERM')
    })
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop()
      reject(new Error(`${runtime} ${file} was not ready in 10 s:\n${output}`))
    }, 10_000)
    const watch = (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes('ready:')) {
        clearTimeout(timer)
        resolve({ child, stop })
      }
    }
    child.stdout?.on('data', watch)
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${runtime} ${file} exited (${code}) before it was ready:\n${output}`))
    })
  })
}

/** A Redis server of this test's own on `port`, so the demo's fixed key prefix collides with no one. */
export function startRedis(port: number): Promise<Server> {
  const child = track(
    spawn(
      'redis-server',
      ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    ),
  )
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve()
      child.once('exit', () => resolve())
      child.kill('SIGTERM')
    })
  return new Promise((resolve, reject) => {
    let output = ''
    child.once('error', (error) =>
      reject(
        new Error(
          `redis-server could not start (${error.message}); apt-get install -y redis-server`,
        ),
      ),
    )
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes('Ready to accept connections')) resolve({ child, stop })
    })
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}):\n${output}`)))
  })
}
