/**
 * A small Upstash-compatible REST server for tests: it speaks the wire protocol of
 * `@upstash/redis` (POST `/`, `/pipeline`, `/multi-exec`, Bearer token, base64 response
 * encoding) and runs every command on a real Redis through one ioredis connection.
 * Test-only: it does no TLS, no rate limits, and trusts its loopback clients.
 */
import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { Redis } from 'ioredis'

export interface UpstashShimOptions {
  redisUrl?: string
  token?: string
  /** Wait this long before handling each request (a slow server). */
  delayMs?: number
}

export interface UpstashShim {
  /** Base URL for `new Redis({ url, token })`. */
  url: string
  token: string
  /** HTTP requests received so far (auto-pipelining batches commands into one). */
  readonly requests: number
  /** Hold every new and waiting request until `resume()` (a hung server). */
  pause(): void
  resume(): void
  close(): Promise<void>
}

const MAX_BODY = 1024 * 1024
// Commands that would change or block the state of the one shared connection for everyone.
const REFUSED = /^([ps]?subscribe|monitor|select|quit|reset|multi|exec|discard|(un)?watch)$/i

/**
 * One command from JSON: a non-empty array of strings, numbers and booleans, all sent as
 * strings. The name is upper-cased so ioredis applies no reply transformer (it would turn
 * HGETALL's flat array into an object).
 */
function toCommand(value: unknown): [string, ...string[]] {
  if (!Array.isArray(value) || typeof value[0] !== 'string') {
    throw new Error('ERR a command must be a non-empty array starting with its name')
  }
  if (REFUSED.test(value[0])) throw new Error(`ERR '${value[0]}' is not supported by the shim`)
  const args = value.slice(1).map((arg) => {
    if (['string', 'number', 'boolean'].includes(typeof arg)) return String(arg)
    throw new Error('ERR command arguments must be strings, numbers or booleans')
  })
  return [value[0].toUpperCase(), ...args]
}

function toCommands(value: unknown): Array<[string, ...string[]]> {
  if (!Array.isArray(value) || value.length === 0) {
    throw new Error('ERR a pipeline must be a non-empty array of commands')
  }
  return value.map(toCommand)
}

/**
 * With `Upstash-Encoding: base64` every string, at any depth, is base64 (UTF-8). The client
 * lets a top-level "OK" through unencoded but base64-decodes strings inside arrays, and we
 * cannot tell status replies from bulk strings, so we encode all of them: "T0s=" reads "OK".
 */
function encode(value: unknown, base64: boolean): unknown {
  if (typeof value === 'string') return base64 ? Buffer.from(value).toString('base64') : value
  if (Array.isArray(value)) return value.map((item) => encode(item, base64))
  if (value instanceof Error) return encode(value.message, base64) // an error inside a Lua table
  return value ?? null // integers stay numbers, nil becomes null
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error))
const item = (error: unknown, value: unknown, base64: boolean) =>
  error ? { error: message(error) } : { result: encode(value, base64) }

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify(body))
}

/** The body as text, or undefined when it is over the limit (drained so the 413 is readable). */
function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size <= MAX_BODY) chunks.push(chunk)
    })
    req.on('end', () => resolve(size > MAX_BODY ? undefined : Buffer.concat(chunks).toString()))
    req.on('error', reject)
    // A client that gave up (timeout) while the request was held must not leave us waiting.
    req.on('close', () => reject(new Error('request closed before its body was read')))
    if (req.destroyed) reject(new Error('request closed before its body was read'))
  })
}

export async function startUpstashShim(options: UpstashShimOptions = {}): Promise<UpstashShim> {
  const token = options.token ?? randomBytes(24).toString('hex')
  const redis = new Redis(options.redisUrl ?? 'redis://127.0.0.1:6379', { lazyConnect: true })
  try {
    await redis.connect()
  } catch (error) {
    redis.disconnect() // stop ioredis from reconnecting in the background
    throw error
  }

  let requests = 0
  let paused = false
  let closed = false
  let waiters: Array<() => void> = []

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    requests++
    if (options.delayMs) await sleep(options.delayMs)
    while (paused && !closed) await new Promise<void>((resolve) => waiters.push(resolve))
    if (closed) return
    if (req.headers.authorization !== `Bearer ${token}`) {
      return send(res, 401, { error: 'Unauthorized' })
    }
    if (req.method !== 'POST') return send(res, 405, { error: 'ERR only POST is supported' })
    const text = await readBody(req)
    if (text === undefined) return send(res, 413, { error: 'ERR request body is over 1 MiB' })
    let body: unknown
    try {
      body = JSON.parse(text)
    } catch {
      return send(res, 400, { error: 'ERR malformed JSON body' })
    }
    // Telemetry and `upstash-sync-token` headers are ignored: one Redis is always consistent.
    const base64 = req.headers['upstash-encoding'] === 'base64'
    const path = req.url?.split('?')[0]
    try {
      if (path === '/') {
        const [name, ...args] = toCommand(body)
        return send(res, 200, { result: encode(await redis.call(name, ...args), base64) })
      }
      if (path === '/pipeline' || path === '/multi-exec') {
        // A pipeline is not atomic (as on Upstash); multi-exec wraps it in MULTI..EXEC. Either
        // is written to the one connection in one go, so other requests cannot interleave.
        const batch = path === '/pipeline' ? redis.pipeline() : redis.multi()
        for (const [name, ...args] of toCommands(body)) batch.call(name, ...args)
        const results = (await batch.exec()) ?? []
        return send(
          res,
          200,
          results.map(([error, value]) => item(error, value, base64)),
        )
      }
      send(res, 404, { error: `ERR unknown path ${path}` })
    } catch (error) {
      // Redis errors (and EXECABORT) reach the client verbatim, so NOSCRIPT fallback works.
      send(res, 400, { error: message(error) })
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => send(res, 500, { error: message(error) }))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const { port } = server.address() as AddressInfo

  const resume = () => {
    paused = false
    const ready = waiters
    waiters = []
    for (const wake of ready) wake()
  }

  return {
    url: `http://127.0.0.1:${port}`,
    token,
    get requests() {
      return requests
    },
    pause: () => {
      paused = true
    },
    resume,
    async close() {
      if (closed) return
      closed = true
      resume() // held requests wake up, see `closed` and stop
      server.closeAllConnections() // the client keeps connections alive
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await redis.quit()
    },
  }
}
