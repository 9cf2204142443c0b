import { createClock, makeRecord } from '@share/store-testkit'
import fc from 'fast-check'
import { Redis } from 'ioredis'
import { afterAll, describe, expect, it } from 'vitest'
import { redisStore } from '../src/index.js'
import { luaString } from '../src/scripts.js'
import { deleteKeysUnder, SHARED_REDIS_URL } from './servers.js'

/**
 * The key prefix is written into each store's scripts as a Lua string, not
 * sent as an argument: whatever text it holds must stay text on the server.
 */
const client = new Redis(SHARED_REDIS_URL)
// Short: a prefix is at most 64 characters, and the cases add up to 37.
const runPrefix = `share-lua-${process.pid}-${Date.now() % 1e6}:`
const clock = createClock('real')

afterAll(async () => {
  await deleteKeysUnder(client, runPrefix)
  client.disconnect()
})

describe('luaString', () => {
  it('is read back by Lua as the same text, for any text', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 64 }), async (text) => {
        expect(await client.eval(`return ${luaString(text)}`, 0)).toBe(text)
      }),
      { numRuns: 200 },
    )
  })

  it('writes every byte as a decimal escape', () => {
    expect(luaString("a'")).toBe("'\\97\\39'")
    expect(luaString('')).toBe("''")
  })
})

describe('a prefix that looks like Lua', () => {
  it.each([
    "q'] .. redis.call('FLUSHALL') .. ['",
    'back\\slash\\',
    'new\nline\r',
    "]] -- '",
    'zoë 🙂:',
  ])('keeps its keys under %j and works as any other', async (tail) => {
    const prefix = `${runPrefix}${tail}`
    const store = redisStore({ client, prefix })
    const host = makeRecord(clock, { userId: 'lua-prefix' })
    const linked = makeRecord(clock, { userId: 'lua-prefix', parentId: host.id })
    expect(await store.create(host)).toBe('created')
    expect(await store.create(linked)).toBe('created')
    expect(await store.getWithParent(linked.id)).toEqual({ session: linked, parent: host })
    expect(await store.listUser('lua-prefix')).toEqual([host])
    const keys: string[] = []
    for await (const batch of client.scanStream({ match: `${runPrefix}*`, count: 1000 })) {
      keys.push(...(batch as string[]))
    }
    const mine = keys.filter((key) => key.includes(host.id) || key.includes('lua-prefix'))
    expect(mine.length).toBeGreaterThanOrEqual(3)
    for (const key of mine) expect(key.startsWith(prefix)).toBe(true)
    expect((await store.delete(host.id)).sort()).toEqual([host.id, linked.id].sort())
    expect(await store.getWithParent(linked.id)).toBeNull()
  })
})
