import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { Redis } from 'ioredis'

/**
 * Redis servers the tests start and stop themselves, on spare loopback
 * ports: a server to kill or freeze, and a three-master cluster. Only
 * processes started here are ever stopped.
 */

const run = promisify(execFile)

export const SHARED_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'

async function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })
}

/** `count` consecutive free ports whose cluster-bus ports (+10000) are free too. */
async function freePorts(count: number): Promise<number[]> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 9_000)
    const ports = Array.from({ length: count }, (_, i) => base + i)
    const checks = await Promise.all(ports.flatMap((port) => [isFree(port), isFree(port + 10_000)]))
    if (checks.every(Boolean)) return ports
  }
  throw new Error('no free ports for test Redis servers')
}

async function waitForPing(port: number): Promise<void> {
  const client = new Redis({
    port,
    host: '127.0.0.1',
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  })
  client.on('error', () => {}) // refused connections are expected while the server starts
  try {
    for (let attempt = 0; attempt < 100; attempt++) {
      try {
        await client.connect()
        await client.ping()
        return
      } catch {
        client.disconnect()
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    }
    throw new Error(`redis-server on port ${port} did not answer`)
  } finally {
    client.disconnect()
  }
}

export interface TestServer {
  port: number
  url: string
  /** The running redis-server; replaced by `restart`. */
  process: ChildProcess
  /** Starts a fresh (empty) server on the same port, e.g. after a kill. */
  restart(): Promise<void>
  stop(): Promise<void>
}

function startProcess(port: number, dir: string, extra: string[] = []): ChildProcess {
  return spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
      ...extra,
    ],
    { stdio: 'ignore' },
  )
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGCONT')
    child.kill('SIGKILL')
  })
}

/** One throwaway redis-server of our own. */
export async function startServer(): Promise<TestServer> {
  const [port] = await freePorts(1)
  const dir = mkdtempSync(join(tmpdir(), 'share-redis-'))
  const server: TestServer = {
    port: port!,
    url: `redis://127.0.0.1:${port}`,
    process: startProcess(port!, dir),
    restart: async () => {
      await stopProcess(server.process)
      server.process = startProcess(port!, dir)
      await waitForPing(port!)
    },
    stop: async () => {
      await stopProcess(server.process)
      rmSync(dir, { recursive: true, force: true })
    },
  }
  await waitForPing(port!)
  return server
}

export interface TestCluster {
  nodes: { host: string; port: number }[]
  stop(): Promise<void>
}

/** Three masters with `--cluster-enabled yes`, joined with `redis-cli --cluster create`. */
export async function startCluster(): Promise<TestCluster> {
  const ports = await freePorts(3)
  const dir = mkdtempSync(join(tmpdir(), 'share-cluster-'))
  const children = ports.map((port) =>
    startProcess(port, dir, [
      '--cluster-enabled',
      'yes',
      '--cluster-config-file',
      `nodes-${port}.conf`,
      '--cluster-node-timeout',
      '3000',
    ]),
  )
  const stop = async () => {
    await Promise.all(children.map(stopProcess))
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    await Promise.all(ports.map(waitForPing))
    await run('redis-cli', [
      '--cluster',
      'create',
      ...ports.map((port) => `127.0.0.1:${port}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ])
    await waitForClusterOk(ports)
  } catch (error) {
    await stop()
    throw error
  }
  return { nodes: ports.map((port) => ({ host: '127.0.0.1', port })), stop }
}

async function waitForClusterOk(ports: number[]): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const states = await Promise.all(
      ports.map(
        async (port) => (await run('redis-cli', ['-p', String(port), 'cluster', 'info'])).stdout,
      ),
    )
    if (states.every((info) => info.includes('cluster_state:ok'))) return
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error('the test cluster did not reach cluster_state:ok')
}

/** Deletes every key under `prefix` on one server (tests only: SCAN is never on a request path). */
export async function deleteKeysUnder(client: Redis, prefix: string): Promise<void> {
  const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`
  let cursor = '0'
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 500)
    cursor = next
    if (keys.length > 0) await client.unlink(...keys)
  } while (cursor !== '0')
}
