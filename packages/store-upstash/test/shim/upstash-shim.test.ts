import { randomUUID } from 'node:crypto'
import { Redis, type RedisConfigNodejs } from '@upstash/redis'
import { Redis as IORedis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { startUpstashShim, type UpstashShim } from './upstash-shim.ts'

// Every key of this run lives under one random prefix; afterAll deletes only those.
const prefix = `share:shim-test:${randomUUID()}:`
const key = (name: string) => `${prefix}${name}`

let shim: UpstashShim
let direct: IORedis // checks what really landed in Redis, and cleans up
let auto: Redis // defaults: auto-pipelining, base64 responses, JSON deserialization
let single: Redis // one command per POST /
let raw: Redis // strings exactly as stored

const client = (extra: Partial<RedisConfigNodejs> = {}) =>
  new Redis({ url: shim.url, token: shim.token, enableTelemetry: false, retry: false, ...extra })

beforeAll(async () => {
  shim = await startUpstashShim()
  direct = new IORedis('redis://127.0.0.1:6379')
  auto = client()
  single = client({ enableAutoPipelining: false })
  raw = client({ automaticDeserialization: false })
})

afterAll(async () => {
  const keys = await direct.keys(`${prefix}*`)
  if (keys.length > 0) await direct.del(...keys)
  await direct.quit()
  await shim?.close()
})

/** POST to the shim without the client, for the HTTP-level rules. */
const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${shim.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${shim.token}`, ...headers },
    body,
  })

describe('strings', () => {
  const values = ['plain', '', 'OK', 'T0s=', 'ünïcødé ✓ 日本語 🎉', '{"a":1,"b":[true,null]}', '42']

  it.each(values)('round-trips %j exactly through every client', async (value) => {
    for (const [name, redis] of Object.entries({ auto, single, raw })) {
      const k = key(`str:${name}:${value}`)
      expect(await redis.set(k, value)).toBe('OK')
      expect(await direct.get(k)).toBe(value) // request bodies are plain JSON, not base64
      expect(await raw.get(k)).toBe(value)
    }
  })

  it('deserializes JSON-looking strings by default and not with automaticDeserialization off', async () => {
    await auto.set(key('json'), { a: 1, b: ['x'] })
    expect(await direct.get(key('json'))).toBe('{"a":1,"b":["x"]}')
    expect(await auto.get(key('json'))).toEqual({ a: 1, b: ['x'] })
    expect(await single.get(key('json'))).toEqual({ a: 1, b: ['x'] })
    expect(await raw.get(key('json'))).toBe('{"a":1,"b":["x"]}')
  })

  it('supports set with nx and ex/px', async () => {
    expect(await auto.set(key('nx'), 'first', { nx: true, ex: 30 })).toBe('OK')
    expect(await auto.set(key('nx'), 'second', { nx: true, ex: 30 })).toBeNull()
    expect(await raw.get(key('nx'))).toBe('first')
    const ttl = await direct.ttl(key('nx'))
    expect(ttl).toBeGreaterThan(0)
    expect(ttl).toBeLessThanOrEqual(30)

    expect(await single.set(key('px'), 'v', { px: 5000 })).toBe('OK')
    const pttl = await single.pttl(key('px'))
    expect(pttl).toBeGreaterThan(0)
    expect(pttl).toBeLessThanOrEqual(5000)
  })

  it('returns null for nil replies', async () => {
    expect(await auto.get(key('missing'))).toBeNull()
    expect(await single.get(key('missing'))).toBeNull()
    expect(await raw.hget(key('missing'), 'f')).toBeNull()
  })
})

describe('hashes and integers', () => {
  it('supports hset, hget and hgetall', async () => {
    expect(await auto.hset(key('h'), { name: 'ünï', count: 3 })).toBe(2)
    expect(await raw.hget(key('h'), 'name')).toBe('ünï')
    expect(await single.hget(key('h'), 'count')).toBe(3)
    expect(await auto.hgetall(key('h'))).toEqual({ name: 'ünï', count: 3 })
    // On the wire HGETALL is a flat array, as from Redis (ioredis would make it an object).
    expect(await raw.hgetall(key('h'))).toEqual(['name', 'ünï', 'count', '3'])
  })

  it('keeps integer replies as numbers', async () => {
    expect(await auto.incr(key('n'))).toBe(1)
    expect(await single.incrby(key('n'), 41)).toBe(42)
    expect(await raw.exists(key('n'), key('missing'))).toBe(1)
    expect(await auto.del(key('n'))).toBe(1)
  })
})

describe('scripts', () => {
  const nested = `
    redis.call('SET', KEYS[1], ARGV[1])
    return {KEYS[1], redis.call('GET', KEYS[1]), 42, false, {ARGV[2], {7, 'OK'}}, 'OK'}`

  it('runs eval with keys and args returning nested arrays, strings, integers and nil', async () => {
    for (const redis of [auto, single, raw]) {
      const k = key('eval')
      expect(await redis.eval(nested, [k], ['välue', 'inner'])).toEqual([
        k,
        'välue',
        42,
        null,
        ['inner', [7, 'OK']],
        'OK',
      ])
    }
    expect(await auto.eval('return nil', [], [])).toBeNull()
    expect(await raw.eval('return ARGV[1]', [], ['{"not":"parsed"}'])).toBe('{"not":"parsed"}')
    expect(await single.eval('return tonumber(ARGV[1]) * 2', [], [21])).toBe(42)
  })

  it('runs evalsha on a loaded script', async () => {
    const sha = await auto.scriptLoad(`${nested} -- ${prefix}`)
    expect(await single.evalsha(sha, [key('sha')], ['a', 'b'])).toEqual([
      key('sha'),
      'a',
      42,
      null,
      ['b', [7, 'OK']],
      'OK',
    ])
  })

  it('passes NOSCRIPT through so the script helper falls back to eval, then uses evalsha', async () => {
    for (const redis of [auto, single]) {
      // A body unique to this run and client, so Redis has never cached it.
      const script = redis.createScript<string>(`return ARGV[1] -- ${randomUUID()}`)
      const before = shim.requests
      expect(await script.exec([], ['first'])).toBe('first')
      expect(shim.requests - before).toBe(2) // EVALSHA failed with NOSCRIPT, then EVAL
      expect(await script.exec([], ['again'])).toBe('again')
      expect(shim.requests - before).toBe(3) // cached now: EVALSHA alone
    }
  })

  it('surfaces NOSCRIPT as an error from a bare evalsha', async () => {
    await expect(single.evalsha('0'.repeat(40), [], [])).rejects.toThrow(/NOSCRIPT/)
    await expect(auto.evalsha('0'.repeat(40), [], [])).rejects.toThrow(/NOSCRIPT/)
  })
})

describe('pipelines and transactions', () => {
  it('runs an explicit pipeline in order', async () => {
    const results = await auto
      .pipeline()
      .set(key('p'), 'x')
      .get(key('p'))
      .incr(key('pn'))
      .get(key('missing'))
      .exec()
    expect(results).toEqual(['OK', 'x', 1, null])
  })

  it('batches concurrent commands into one request with auto-pipelining', async () => {
    const before = shim.requests
    const results = await Promise.all([
      auto.set(key('ap1'), 'a'),
      auto.set(key('ap2'), 'b'),
      auto.incr(key('ap3')),
    ])
    expect(results).toEqual(['OK', 'OK', 1])
    expect(shim.requests - before).toBe(1)
  })

  it('reports per-command errors in a pipeline', async () => {
    await direct.set(key('pe'), 'not a number')
    const results = await raw.pipeline().incr(key('pe')).get(key('pe')).exec({ keepErrors: true })
    expect(results[0]?.error).toMatch(/ERR value is not an integer/)
    expect(results[1]).toEqual({ error: undefined, result: 'not a number' })
  })

  it('runs multi-exec atomically', async () => {
    const results = await single.multi().set(key('m'), 'v').incr(key('mn')).get(key('m')).exec()
    expect(results).toEqual(['OK', 1, 'v'])
  })

  it('reports a failed command inside multi-exec while the others apply', async () => {
    await direct.set(key('me'), 'text')
    const tx = raw.multi().incr(key('me')).set(key('me2'), 'done')
    const results = await tx.exec({ keepErrors: true })
    expect(results[0]?.error).toMatch(/ERR value is not an integer/)
    expect(results[1]?.result).toBe('OK')
    expect(await direct.get(key('me2'))).toBe('done')
  })
})

describe('errors and HTTP rules', () => {
  it('throws Redis errors from the client', async () => {
    await direct.set(key('err'), 'text')
    await expect(auto.incr(key('err'))).rejects.toThrow(/ERR value is not an integer/)
    await expect(single.incr(key('err'))).rejects.toThrow(/ERR value is not an integer/)
    await expect(single.multi().incr(key('err')).exec()).rejects.toThrow(/not an integer/)
  })

  it('refuses a wrong or missing token with 401', async () => {
    const wrong = new Redis({ url: shim.url, token: 'wrong', enableTelemetry: false, retry: false })
    await expect(wrong.get(key('x'))).rejects.toThrow(/Unauthorized/)
    const res = await fetch(`${shim.url}/`, { method: 'POST', body: '["get","x"]' })
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual({ error: 'Unauthorized' })
  })

  it('answers a failed single command with 400 and the Redis error', async () => {
    const res = await post('/', JSON.stringify(['nosuchcommand', 'x']))
    expect(res.status).toBe(400)
    expect((await res.json()).error).toMatch(/unknown command/)
    const aborted = await post('/multi-exec', JSON.stringify([['set', key('abort')]]))
    expect(aborted.status).toBe(400)
    expect((await aborted.json()).error).toMatch(/EXECABORT/)
  })

  it('refuses malformed JSON, bad commands, unknown paths and bodies over 1 MiB', async () => {
    expect((await post('/', '["get",')).status).toBe(400)
    expect((await post('/', '{"get":"x"}')).status).toBe(400)
    expect((await post('/pipeline', '[]')).status).toBe(400)
    expect((await post('/', '["subscribe","x"]')).status).toBe(400)
    expect((await post('/nope', '["get","x"]')).status).toBe(404)
    const big = JSON.stringify(['set', key('big'), 'x'.repeat(1024 * 1024)])
    const res = await post('/', big)
    expect(res.status).toBe(413)
    expect(await direct.exists(key('big'))).toBe(0)
  })

  it('encodes every string as base64 only when asked to', async () => {
    await direct.set(key('enc'), 'ü')
    const cmd = JSON.stringify([
      ['get', key('enc')],
      ['set', key('enc2'), 'v'],
      ['strlen', key('enc')],
    ])
    const encoded = await post('/pipeline', cmd, { 'upstash-encoding': 'base64' })
    expect(await encoded.json()).toEqual([{ result: 'w7w=' }, { result: 'T0s=' }, { result: 2 }])
    const plain = await post('/pipeline', cmd)
    expect(await plain.json()).toEqual([{ result: 'ü' }, { result: 'OK' }, { result: 2 }])
  })
})

describe('slow and hung servers', () => {
  it('holds requests while paused and answers them on resume', async () => {
    shim.pause()
    let settled = false
    const pending = single.set(key('held'), 'v').finally(() => {
      settled = true
    })
    await new Promise((resolve) => setTimeout(resolve, 150))
    expect(settled).toBe(false)
    shim.resume()
    expect(await pending).toBe('OK')
  })

  it('lets a client timeout fire against a paused server', async () => {
    const timed = client({ signal: () => AbortSignal.timeout(100) })
    shim.pause()
    try {
      await expect(timed.set(key('abandoned'), 'v')).rejects.toThrow(/aborted due to timeout/)
    } finally {
      shim.resume()
    }
  })

  it('delays every request by delayMs', async () => {
    const slow = await startUpstashShim({ delayMs: 200 })
    try {
      const redis = new Redis({ url: slow.url, token: slow.token, enableTelemetry: false })
      const started = Date.now()
      expect(await redis.get(key('slow'))).toBeNull()
      expect(Date.now() - started).toBeGreaterThanOrEqual(190)
    } finally {
      await slow.close()
    }
  })

  it('closes with requests still held', async () => {
    const other = await startUpstashShim({ token: 'fixed-token' })
    expect(other.token).toBe('fixed-token')
    const redis = new Redis({ url: other.url, token: 'fixed-token', retry: false })
    other.pause()
    // Expect the rejection before closing: the client fails as soon as its socket drops.
    const failed = expect(redis.get(key('closing'))).rejects.toThrow(/fetch failed/)
    // Under load the request can take a while to arrive: wait for it rather than a fixed time.
    await vi.waitFor(() => expect(other.requests).toBe(1), { timeout: 5000 })
    await other.close()
    await failed
  })
})
