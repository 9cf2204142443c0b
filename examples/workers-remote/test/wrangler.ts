// `wrangler dev` for the tests and the benchmark: the Worker on 127.0.0.1:<port>, its vars on
// the command line, its secrets in a .dev.vars file of a temp dir (never the repository), the
// workspace packages bundled from their sources. Stopped with its process group.
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url))

export interface WranglerOptions {
  /** This package's directory (where node_modules/.bin/wrangler is). @default PACKAGE_DIR */
  packageDir?: string
  /** The wrangler config file, relative to this package or absolute. */
  config: string
  port: number
  inspectorPort: number
  /** The Host header the Worker is reached by (`app-workers.localhost:<port>`). */
  host: string
  vars: Record<string, string>
  secrets: Record<string, string>
  /** A path that answers once the Worker runs, and the status it answers. */
  ready: { path: string; status: number }
  /** wrangler's log level; `log` also prints the Worker's console.log lines. @default 'warn' */
  logLevel?: 'warn' | 'log'
}

export interface Wrangler {
  /** Everything wrangler printed (at its `logLevel`). */
  readonly log: string
  get(path: string, cookie?: string): Promise<{ status: number; body: string }>
  stop(): Promise<void>
}

export async function startWrangler(options: WranglerOptions): Promise<Wrangler> {
  const dir = options.packageDir ?? PACKAGE_DIR
  const temp = mkdtempSync(join(tmpdir(), 'share-wrangler-'))
  const devVars = join(temp, '.dev.vars')
  const lines = Object.entries(options.secrets).map(([name, value]) => `${name}=${value}\n`)
  writeFileSync(devVars, lines.join(''), { mode: 0o600 })
  let log = ''
  const child: ChildProcess = spawn(
    join(dir, 'node_modules', '.bin', 'wrangler'),
    [
      'dev',
      ...['--config', resolve(dir, options.config)],
      ...['--ip', '127.0.0.1', '--port', String(options.port)],
      ...['--inspector-port', String(options.inspectorPort)],
      ...['--env-file', devVars, '--persist-to', join(temp, 'state')],
      ...['--show-interactive-dev-session=false', '--log-level', options.logLevel ?? 'warn'],
      ...Object.entries(options.vars).flatMap(([name, value]) => ['--var', `${name}:${value}`]),
    ],
    {
      cwd: dir,
      detached: true, // its own process group: wrangler and the workerd it starts stop together
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        WRANGLER_SEND_METRICS: 'false',
        WRANGLER_LOG_PATH: join(temp, 'logs'),
        // Bundle the workspace packages from their sources: no build needed first.
        WRANGLER_BUILD_CONDITIONS: '@share/source,workerd,worker,browser',
      },
    },
  )
  const exited = once(child, 'exit')
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk) => {
      log += chunk
    })
  }

  const get = (path: string, cookie?: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const headers: Record<string, string> = { host: options.host }
      if (cookie) headers.cookie = cookie
      const req = httpRequest({ host: '127.0.0.1', port: options.port, path, headers }, (res) => {
        let body = ''
        res.on('data', (chunk) => {
          body += chunk
        })
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
      })
      req.once('error', reject)
      req.end()
    })

  const stop = async () => {
    if (child.pid && child.exitCode === null && child.signalCode === null) {
      process.kill(-child.pid, 'SIGTERM')
      await exited
    }
    rmSync(temp, { recursive: true, force: true })
  }

  const deadline = Date.now() + 30_000
  while (Date.now() < deadline && child.exitCode === null) {
    const answer = await get(options.ready.path).catch(() => null)
    if (answer?.status === options.ready.status)
      return {
        get,
        stop,
        get log() {
          return log
        },
      }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  await stop()
  throw new Error(`wrangler dev did not answer on port ${options.port}:\n${log}`)
}
