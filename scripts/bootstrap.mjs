// What the README's commands need before pnpm can run, using only Node and
// npm: pnpm 10 (installed into .tools/ when missing, no root needed) and the
// workspace's dependencies. Services (Redis, Chromium) are ensured by the
// scripts that need them.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import { connect } from 'node:net'
import { delimiter, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('..', import.meta.url))
const PNPM_VERSION = '10.34.8'
const TOOLS = join(ROOT, '.tools')

/** Environment for child processes: local tools first, no telemetry. */
export const env = {
  ...process.env,
  PATH: [join(TOOLS, 'node_modules', '.bin'), process.env.PATH].join(delimiter),
  TURBO_TELEMETRY_DISABLED: '1',
  NEXT_TELEMETRY_DISABLED: '1',
  WRANGLER_SEND_METRICS: 'false',
  COREPACK_ENABLE_DOWNLOAD_PROMPT: '0',
}

export function log(message) {
  console.log(`\n▶ ${message}`)
}

/** Runs a command in the repo root with inherited output; returns its exit code. */
export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: ROOT, env, stdio: 'inherit', ...options })
  if (result.error) throw result.error
  return result.status ?? 1
}

/** Like `run`, but stops the script when the command fails. */
export function mustRun(command, args, options = {}) {
  const status = run(command, args, options)
  if (status !== 0) {
    console.error(`\n✖ ${command} ${args.join(' ')} exited with ${status}`)
    process.exit(status)
  }
}

function pnpmVersion() {
  try {
    return execFileSync('pnpm', ['--version'], { env, encoding: 'utf8' }).trim()
  } catch {
    return null
  }
}

export function ensurePnpm() {
  const found = pnpmVersion()
  if (found?.startsWith('10.')) return
  log(`installing pnpm ${PNPM_VERSION} into .tools/ (found: ${found ?? 'none'})`)
  mkdirSync(TOOLS, { recursive: true })
  mustRun('npm', [
    'install',
    '--prefix',
    TOOLS,
    '--no-save',
    '--no-audit',
    '--no-fund',
    `pnpm@${PNPM_VERSION}`,
  ])
  if (!pnpmVersion()?.startsWith('10.')) {
    console.error(
      '✖ pnpm could not be installed; install pnpm 10 yourself (npm i -g pnpm@10) and retry',
    )
    process.exit(1)
  }
}

export function installDependencies() {
  log('installing dependencies (pnpm install --frozen-lockfile)')
  mustRun('pnpm', ['install', '--frozen-lockfile'])
}

export function buildPackages() {
  log('building the packages')
  mustRun('pnpm', ['turbo', 'run', 'build', '--output-logs=errors-only'])
}

export function hasWorkspaceDependencies() {
  return existsSync(join(ROOT, 'node_modules', '.pnpm'))
}

/** True when something answers PING with PONG on host:port within a second. */
export function pingRedis(host = '127.0.0.1', port = 6379) {
  return new Promise((resolve) => {
    const socket = connect({ host, port })
    const done = (ok) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(1000, () => done(false))
    socket.once('error', () => done(false))
    socket.once('connect', () => socket.write('PING\r\n'))
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')))
  })
}

function hasCommand(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0
}

/** Runs a command as root: directly when we are root, else through passwordless sudo. */
function asRoot(args) {
  const root = typeof process.getuid === 'function' && process.getuid() === 0
  if (root) return run(args[0], args.slice(1))
  if (hasCommand('sudo')) return run('sudo', ['-n', ...args])
  return 1
}

/**
 * The store tests need Redis 7 on 127.0.0.1:6379 (and redis-server and
 * redis-cli for the servers and cluster they start themselves). Starts one
 * when none answers, installing redis-server with apt where it is missing.
 * Returns false, after saying what to do, when that is impossible.
 */
export async function ensureRedis() {
  if (process.env.REDIS_URL) return true
  const haveBinaries = hasCommand('redis-server') && hasCommand('redis-cli')
  if ((await pingRedis()) && haveBinaries) return true
  if (!haveBinaries) {
    log('installing redis-server with apt (the store tests need it)')
    if (
      !hasCommand('apt-get') ||
      asRoot(['apt-get', 'update', '-qq']) !== 0 ||
      asRoot(['apt-get', 'install', '-y', '-qq', 'redis-server']) !== 0
    ) {
      console.error(
        '✖ Redis is needed for the store tests and could not be installed: install Redis 7 (redis-server and redis-cli) and run this again.',
      )
      return false
    }
  }
  if (!(await pingRedis())) {
    log('starting redis-server on 127.0.0.1:6379')
    run('redis-server', [
      '--daemonize',
      'yes',
      '--bind',
      '127.0.0.1',
      '--port',
      '6379',
      '--save',
      '',
      '--appendonly',
      'no',
    ])
    for (let i = 0; i < 50 && !(await pingRedis()); i++)
      await new Promise((r) => setTimeout(r, 100))
  }
  if (await pingRedis()) return true
  console.error(
    '✖ redis-server did not start on 127.0.0.1:6379; start Redis 7 there (or set REDIS_URL) and run this again.',
  )
  return false
}

/**
 * The browser tests drive Debian's Chromium (never a downloaded one):
 * installs it with apt when missing. Returns false, saying what to do, when
 * that is impossible.
 */
export function ensureChromium() {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
  if (existsSync(path)) return true
  log('installing chromium with apt (the browser tests need it)')
  if (hasCommand('apt-get')) {
    asRoot(['apt-get', 'update', '-qq'])
    asRoot(['apt-get', 'install', '-y', '-qq', 'chromium'])
  }
  if (existsSync(path)) return true
  console.error(
    '✖ Chromium is needed for the browser tests: install it (apt-get install chromium) or set CHROMIUM_PATH, and run this again.',
  )
  return false
}

/** The HTTP benchmarks load servers with wrk (a separate process, so it does not steal the server's thread). */
export function ensureWrk() {
  if (hasCommand('wrk')) return true
  log('installing wrk with apt (the HTTP benchmarks need it)')
  if (hasCommand('apt-get')) {
    asRoot(['apt-get', 'update', '-qq'])
    asRoot(['apt-get', 'install', '-y', '-qq', 'wrk'])
  }
  if (hasCommand('wrk')) return true
  console.error(
    '✖ wrk is needed for the HTTP benchmarks: install it (apt-get install wrk) and run this again.',
  )
  return false
}
