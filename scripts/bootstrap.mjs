// What the README's commands need before pnpm can run, using only Node and
// npm: pnpm 10 (installed into .tools/ when missing, no root needed) and the
// workspace's dependencies. Services (Redis, Chromium) are ensured by the
// scripts that need them.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
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
