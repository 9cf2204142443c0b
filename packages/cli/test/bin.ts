import { spawn } from 'node:child_process'
import { join } from 'node:path'

/** Where the tests' own build of the bin goes (not dist/, which `turbo build` may be rewriting). */
export const BIN_DIR = join(import.meta.dirname, '..', 'node_modules', '.cache', 'share-cli-bin')
export const BIN = join(BIN_DIR, 'cli.js')

export interface Result {
  code: number | null
  stdout: string
  stderr: string
}

const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`

/** Runs the built `share` bin as a user would: its own process, a clean environment. */
export function share(
  args: readonly string[],
  options: { env?: Record<string, string>; input?: string; terminal?: boolean } = {},
): Promise<Result> {
  // On a terminal: util-linux `script` gives the bin a pseudo-terminal (stdout and stderr both
  // arrive as `stdout` then, with the terminal's control sequences).
  const [command, argv] = options.terminal
    ? [
        'script',
        ['-q', '-e', '-c', [process.execPath, BIN, ...args].map(quote).join(' '), '/dev/null'],
      ]
    : [process.execPath, [BIN, ...args]]
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => {
      stdout += chunk
    })
    child.stderr.on('data', (chunk) => {
      stderr += chunk
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
    child.stdin.end(options.input ?? '')
  })
}
