import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ALL_SCRIPTS, fromIORedis, redisStore, scriptSha1 } from '../src/index.js'
import { runScript } from '../src/runner.js'
import { startServer, type TestServer } from './servers.js'

// A server of our own: these tests flush its script cache.
let server: TestServer
let client: Redis

beforeAll(async () => {
  server = await startServer()
  client = new Redis(server.url)
})

afterAll(async () => {
  client?.disconnect()
  await server?.stop()
})

describe('Lua scripts', () => {
  it.each(ALL_SCRIPTS)(
    '$name: SCRIPT LOAD names it by the SHA-1 the store computes',
    async (script) => {
      expect(await client.script('LOAD', script.source)).toBe(await scriptSha1(script.source))
    },
  )

  it('falls back to EVAL after NOSCRIPT, then runs by EVALSHA', async () => {
    await client.script('FLUSH')
    const script = ALL_SCRIPTS.find((candidate) => candidate.name === 'get-with-parent')!
    const sha = await scriptSha1(script.source)
    expect(await client.script('EXISTS', sha)).toEqual([0])
    expect(await runScript(fromIORedis(client), script, ['x:{abcdef}s:abcdef1'], ['x:'])).toBeNull()
    expect(await client.script('EXISTS', sha)).toEqual([1])
  })

  it('resolves a session in one command and writes nothing between touches', async () => {
    const { createSessionEngine, generateSyncKey } = await import('@share/core')
    const store = redisStore({ client, prefix: 'count:' })
    const engine = createSessionEngine({ syncKey: generateSyncKey(), store })
    const { cookie, session } = await engine.create({ userId: 'alice' })
    const remote = await engine.link({
      hostSessionId: session.id,
      audience: 'https://a.example.com',
    })
    await engine.resolve(cookie) // loads the script and warms the cookie cache
    await client.config('RESETSTAT')
    for (let i = 0; i < 10; i++) {
      await engine.resolve(cookie)
      await engine.resolve(remote.cookie, { audience: 'https://a.example.com' })
    }
    const stats = await client.info('commandstats')
    const calls = [...stats.matchAll(/cmdstat_(\w+):calls=(\d+)/g)].map(([, name, count]) => [
      name,
      Number(count),
    ])
    // 20 resolves: 20 EVALSHA (the script's own HMGET/HGET are counted too, server side).
    expect(Object.fromEntries(calls)).toMatchObject({ evalsha: 20 })
    expect(
      calls.filter(([name]) => ['hset', 'set', 'del', 'sadd', 'srem'].includes(String(name))),
    ).toEqual([])
  })
})
