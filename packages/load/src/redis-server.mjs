// @ts-check
// The run's own redis-server on a spare loopback port (never the shared one on
// 6379): the outage stops and restarts it, and its command counters belong to
// this run alone. Stopped with SHUTDOWN SAVE and started again on the same
// file, as an orderly restart would: the sessions must survive it.
import { execFile, spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { promisify } from 'node:util'
import { sparePort } from './ports.mjs'

const run = promisify(execFile)

/** @param {{ dir: string }} options */
export async function startOwnRedis({ dir }) {
  const port = await sparePort()
  /** @type {import('node:child_process').ChildProcess | null} */
  let child = null
  const cli = async (/** @type {string[]} */ ...args) =>
    (await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args])).stdout

  async function up() {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { cwd: dir, stdio: 'ignore' },
    )
    child.once('error', () => {})
    for (let i = 0; i < 100; i++) {
      if (
        await cli('PING').then(
          (out) => out.trim() === 'PONG',
          () => false,
        )
      )
        return
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    throw new Error(`redis-server did not answer on 127.0.0.1:${port}`)
  }

  async function down() {
    const stopping = child
    if (!stopping || stopping.exitCode !== null) return
    const exited = new Promise((resolve) => stopping.once('exit', resolve))
    // The dump goes to dump.rdb in `dir`; the next start loads it.
    await cli('SHUTDOWN', 'SAVE').catch(() => {})
    await exited
    child = null
  }

  // Whatever ends this process (an error, Ctrl+C, a closed pipe), the server goes with it.
  process.once('exit', () => child?.kill('SIGTERM'))
  await up()
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    /** Stops the server (its data saved to disk) and resolves once it has exited. */
    stop: down,
    /** Starts it again on the same port and file; resolves once it answers PING. */
    start: up,
    /**
     * Watches every command with MONITOR until `stop()`, which resolves to the
     * commands clients sent (round trips) and those scripts ran inside Redis,
     * each by name.
     */
    async monitor() {
      const watcher = spawn('redis-cli', ['-h', '127.0.0.1', '-p', String(port), 'MONITOR'], {
        stdio: ['ignore', 'pipe', 'ignore'],
      })
      /** @type {Record<string, number>} */
      const sent = {}
      /** @type {Record<string, number>} */
      const inScripts = {}
      const lines = createInterface({
        input: /** @type {import('node:stream').Readable} */ (watcher.stdout),
      })
      const started = new Promise((resolve) => lines.once('line', resolve))
      lines.on('line', (line) => {
        // 1700000000.123456 [0 127.0.0.1:5555] "evalsha" ... ; a script's own calls say [0 lua].
        const match = /^\d+\.\d+ \[\d+ ([^\]]+)\] "([^"]+)"/.exec(line)
        if (!match) return
        const name = (match[2] ?? '').toLowerCase()
        const counts = match[1] === 'lua' ? inScripts : sent
        counts[name] = (counts[name] ?? 0) + 1
      })
      await started
      return {
        async stop() {
          await new Promise((resolve) => setTimeout(resolve, 200))
          const exited = new Promise((resolve) => watcher.once('exit', resolve))
          watcher.kill('SIGTERM')
          await exited
          return { sent, inScripts }
        },
      }
    },
    /** Keys in the database now (every one is this run's). */
    async keyCount() {
      return Number((await cli('DBSIZE')).trim())
    },
  }
}
