// Spawning Bun and Deno from vitest: the binaries the npm registry installed
// into this package, a ready line on stdout, and a clean stop.
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))
const ROOT = here('..')
const packageDir = (name: string) =>
  dirname(createRequire(import.meta.url).resolve(`${name}/package.json`))

// The binaries themselves, not node_modules/.bin's shell wrappers: a signal
// to a wrapper would leave the runtime running.
const BUN = join(packageDir('bun'), 'bin', 'bun.exe')
const DENO = join(packageDir('deno'), 'deno')
export type Runtime = 'bun' | 'deno'

const scripts: Record<string, string> = JSON.parse(
  readFileSync(here('../package.json'), 'utf8'),
).scripts

/**
 * The command line of one of package.json's scripts (`pair:bun`, ...), the
 * ones the README tells you to run, with `bun` or `deno` replaced by the
 * binary and any leading `NAME=value` as environment; it runs in this package's directory. `extra` replaces the
 * script's trailing arguments after `keep` of them.
 */
export function command(script: string, extra: string[] = [], keep = Number.POSITIVE_INFINITY) {
  const line = scripts[script]
  if (!line) throw new Error(`package.json has no script ${script}`)
  const env: Record<string, string> = {}
  const words = line.split(' ')
  while (words[0]?.includes('=')) {
    const [name = '', value = ''] = (words.shift() ?? '').split('=', 2)
    env[name] = value
  }
  const [bin, ...args] = words
  if (bin !== 'bun' && bin !== 'deno') throw new Error(`${script} runs ${bin}, not bun or deno`)
  const file = args.findIndex((arg) => arg.startsWith('src/'))
  const argv = args.slice(0, Math.min(args.length, file + 1 + keep))
  return { bin: bin === 'bun' ? BUN : DENO, argv: [...argv, ...extra], env }
}

function runtimeEnv(...extra: Record<string, string>[]): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NO_COLOR: '1',
    ...Object.assign({}, ...extra),
  }
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

/**
 * Runs a package.json script to its end, its trailing arguments replaced by
 * `args`; resolves with its stdout (rejects with its stderr).
 */
export function runScript(script: string, args?: string[]): Promise<string> {
  const { bin, argv, env } = args ? command(script, args, 0) : command(script)
  return new Promise((resolve, reject) => {
    execFile(
      bin,
      argv,
      { cwd: ROOT, env: runtimeEnv(env), timeout: 15_000 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${script} failed: ${stderr.trim() || error.message}`))
        else resolve(stdout)
      },
    )
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

/** Starts a package.json script's server and resolves once it prints its `ready:` line. */
export function startServer(script: string, settings: Record<string, string>): Promise<Server> {
  const { bin, argv, env } = command(script)
  const child = track(
    spawn(bin, argv, {
      cwd: ROOT,
      env: runtimeEnv(env, settings),
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  )
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
      reject(new Error(`${script} was not ready in 10 s:\n${output}`))
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
      reject(new Error(`${script} exited (${code}) before it was ready:\n${output}`))
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
