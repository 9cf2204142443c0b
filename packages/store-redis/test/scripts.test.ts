import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import {
  createKeys,
  fromIORedis,
  type RedisCommands,
  redisStore,
  scriptSha1,
  scriptsFor,
} from '../src/index.js'
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

/** The client's commands, with a log of the script calls sent through them. */
function recording(base: RedisCommands) {
  const sent: string[] = []
  const commands: RedisCommands = {
    ...base,
    evalsha: (sha1, keys, args) => {
      sent.push(`EVALSHA ${sha1}`)
      return base.evalsha(sha1, keys, args)
    },
    eval: (source, keys, args) => {
      sent.push('EVAL')
      return base.eval(source, keys, args)
    },
  }
  return { sent, commands }
}

// The scripts of a store under the prefix 'x:'.
const ALL_SCRIPTS = Object.values(scriptsFor('x:'))
const getWithParent = () => scriptsFor('x:').getWithParent

describe('Lua scripts', () => {
  it.each(ALL_SCRIPTS)(
    '$name: SCRIPT LOAD names it by the SHA-1 the store computes',
    async (script) => {
      expect(await client.script('LOAD', script.source)).toBe(await scriptSha1(script.source))
    },
  )

  it('falls back to EVAL after NOSCRIPT, then runs by EVALSHA', async () => {
    await client.script('FLUSH')
    const script = getWithParent()
    const sha = await scriptSha1(script.source)
    expect(await client.script('EXISTS', sha)).toEqual([0])
    expect(
      await runScript(fromIORedis(client), script, ['x:{abcdef}s:abcdef1'], [''], 2000),
    ).toBeNull()
    expect(await client.script('EXISTS', sha)).toEqual([1])
  })

  it('sends a loaded script by its SHA-1 from the first call on, and later calls without waiting', async () => {
    // A fresh copy of the runner: no digest is known yet in this process.
    vi.resetModules()
    const fresh = await import('../src/runner.js')
    const script = getWithParent()
    const sha = await client.script('LOAD', script.source)
    const { sent, commands } = recording(fromIORedis(client))
    const keys = ['x:{abcdef}s:abcdef1']
    expect(await fresh.runScript(commands, script, keys, [''], 2000)).toBeNull()
    expect(sent).toEqual([`EVALSHA ${sha}`])
    // Once the digest is known, the command is sent in the same tick (no await before it).
    const pending = fresh.runScript(commands, script, keys, [''], 2000)
    expect(sent).toEqual([`EVALSHA ${sha}`, `EVALSHA ${sha}`])
    expect(await pending).toBeNull()
  })

  it('does not retry with EVAL when EVALSHA fails for another reason than NOSCRIPT', async () => {
    const script = getWithParent()
    await client.script('LOAD', script.source)
    await client.set('x:{abcdef}s:abcdef2', 'a string, not a hash')
    const { sent, commands } = recording(fromIORedis(client))
    const error = await runScript(commands, script, ['x:{abcdef}s:abcdef2'], [''], 2000).catch(
      (e: unknown) => e,
    )
    expect(error).toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' })
    expect(String((error as Error).cause)).toMatch(/WRONGTYPE/)
    expect(sent).toEqual([`EVALSHA ${await scriptSha1(script.source)}`])
    await client.del('x:{abcdef}s:abcdef2')
  })

  it('falls back to EVAL on NOSCRIPT from an adapter that rejects with a bare string', async () => {
    await client.script('FLUSH')
    const script = getWithParent()
    const base = fromIORedis(client)
    const { sent, commands } = recording({
      ...base,
      evalsha: (sha1, keys, args) =>
        base.evalsha(sha1, keys, args).catch((error: Error) => Promise.reject(error.message)),
    })
    expect(await runScript(commands, script, ['x:{abcdef}s:abcdef1'], [''], 2000)).toBeNull()
    expect(sent).toEqual([`EVALSHA ${await scriptSha1(script.source)}`, 'EVAL'])
  })

  it("keeps its keys under 'share:' when no prefix is given", async () => {
    // On this server of our own: the shared one may hold other users of the default prefix.
    const store = redisStore({ client })
    expect(await store.setIfAbsent('default-prefix', 60)).toBe(true)
    expect(await client.exists('share:n:default-prefix')).toBe(1)
    expect(createKeys().prefix).toBe('share:')
    await client.del('share:n:default-prefix')
  })

  it('names each script after the store operation that sends it', async () => {
    const { createClock, makeRecord } = await import('@share/store-testkit')
    const { createScriptedStore } = await import('../src/index.js')
    const byDigest = new Map<string, string>()
    for (const script of Object.values(scriptsFor('names:'))) {
      byDigest.set(await scriptSha1(script.source), script.name)
      await client.script('LOAD', script.source) // so each operation sends one EVALSHA
    }
    const { sent, commands } = recording(fromIORedis(client))
    const store = createScriptedStore(commands, { prefix: 'names:' })
    const named = async (operation: () => unknown) => {
      sent.length = 0
      await operation()
      return sent.map((line) => byDigest.get(line.replace('EVALSHA ', '')) ?? line)
    }
    const record = makeRecord(createClock('real'), { userId: 'named-user' })
    expect(await named(() => store.create(record))).toEqual(['create'])
    expect(await named(() => store.compareAndSet({ ...record, version: 2 }, 1))).toEqual([
      'compare-and-set',
    ])
    expect(await named(() => store.getWithParent(record.id))).toEqual(['get-with-parent'])
    expect(await named(() => store.listUser('named-user'))).toEqual(['list'])
    expect(await named(() => store.deleteUser('named-user', record.id))).toEqual(['delete-user'])
    expect(await named(() => store.delete(record.id))).toEqual(['delete'])
    expect(new Set(ALL_SCRIPTS.map((script) => script.name)).size).toBe(ALL_SCRIPTS.length)
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
