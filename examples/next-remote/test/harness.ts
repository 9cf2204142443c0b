// Builds and starts the Next app for the tests (`next build` once per test file, then
// `next start`), and sends raw HTTP requests that fetch would normalise first.
import { type ChildProcess, spawn } from 'node:child_process'
import { request as httpRequest } from 'node:http'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const APP_DIR = join(dirname(fileURLToPath(import.meta.url)), '..')
const NEXT_BIN = join(APP_DIR, 'node_modules', '.bin', 'next')
const QUIET = { NEXT_TELEMETRY_DISABLED: '1', TURBO_TELEMETRY_DISABLED: '1' }

/** Runs `next build` in `dir`; rejects with the build's output when it fails. */
export function nextBuild(dir: string = APP_DIR): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(NEXT_BIN, ['build'], {
      cwd: dir,
      env: { ...process.env, ...QUIET },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    child.once('error', reject)
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`next build failed (${code}):\n${output}`)),
    )
  })
}

export interface RunningApp {
  port: number
  /** What the server printed so far (to check no secret leaks into logs). */
  output(): string
  stop(): Promise<void>
}

/** `next start` on 127.0.0.1:`port` with `env`; resolves once it answers HTTP. */
export async function nextStart(
  port: number,
  env: Record<string, string>,
  dir: string = APP_DIR,
): Promise<RunningApp> {
  const child: ChildProcess = spawn(NEXT_BIN, ['start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: dir,
    env: { ...process.env, ...QUIET, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (chunk) => (output += chunk))
  child.stderr?.on('data', (chunk) => (output += chunk))
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve()
      child.once('exit', () => resolve())
      child.kill('SIGTERM')
      setTimeout(() => child.kill('SIGKILL'), 3000).unref()
    })
  for (let attempt = 0; attempt < 200; attempt++) {
    if (child.exitCode !== null) throw new Error(`next start exited:\n${output}`)
    const answered = await raw(port, 'GET', '/favicon.ico', {}).then(
      () => true,
      () => false,
    )
    if (answered) return { port, output: () => output, stop }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  await stop()
  throw new Error(`next start did not answer on ${port}:\n${output}`)
}

export interface RawResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** One HTTP/1.1 request with `path` sent exactly as given (no URL normalisation). */
export function raw(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, method, path, headers, timeout: 15_000 },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk) => (text += chunk))
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }),
        )
      },
    )
    req.once('timeout', () => req.destroy(new Error(`timeout: ${method} ${path}`)))
    req.once('error', reject)
    req.end(body)
  })
}
