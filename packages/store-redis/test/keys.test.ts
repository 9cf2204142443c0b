import { isShareError } from '@share/core'
import { userTag } from '@share/core/store'
import { createClock, makeRecord } from '@share/store-testkit'
import { Redis } from 'ioredis'
import { afterAll, describe, expect, it } from 'vitest'
import { createKeys, redisStore } from '../src/index.js'
import { deleteKeysUnder, SHARED_REDIS_URL } from './servers.js'

const client = new Redis(SHARED_REDIS_URL)
const prefix = `share-keys-test-${process.pid}-${Date.now()}:`

afterAll(async () => {
  await deleteKeysUnder(client, prefix)
  client.disconnect()
})

describe('configuration', () => {
  it.each([
    ['a brace', 'app{1}:'],
    ['a closing brace', 'app}:'],
    ['a long prefix', 'p'.repeat(65)],
    ['a number', 42],
  ])('refuses a prefix with %s', (_name, bad) => {
    let code: string | null = null
    try {
      createKeys(bad as string)
    } catch (error) {
      code = isShareError(error) ? error.code : 'other'
    }
    expect(code).toBe('ERR_CONFIG_INVALID')
  })

  it('says what is wrong with a refused prefix', () => {
    let error: unknown = null
    try {
      createKeys('app{1}:')
    } catch (caught) {
      error = caught
    }
    expect(isShareError(error) && error.detail).toMatch(/prefix must be .*at most 64.*\{ or \}/)
  })

  it('accepts a prefix of exactly 64 characters, and the empty prefix', () => {
    expect(createKeys('p'.repeat(64)).prefix).toBe('p'.repeat(64))
    expect(createKeys('').nonce('n')).toBe('n:n')
  })

  it.each([0, -1, 1.5, 60_001, 120_000])('refuses commandTimeoutMs %s', (commandTimeoutMs) => {
    expect(() => redisStore({ client, commandTimeoutMs })).toThrow(/commandTimeoutMs/)
  })

  it.each([1, 60_000])('accepts commandTimeoutMs %s, the bounds', (commandTimeoutMs) => {
    expect(redisStore({ client, commandTimeoutMs }).name).toBe('redis')
  })
})

describe('key layout', () => {
  it('writes exactly the documented keys, and a delete leaves none behind', async () => {
    const layoutPrefix = `${prefix}layout:`
    const store = redisStore({ client, prefix: layoutPrefix })
    const clock = createClock('real')
    const userId = 'layout-user'
    const tag = userTag(userId)
    const host = makeRecord(clock, { userId })
    const linked = makeRecord(clock, { userId, parentId: host.id })
    expect(await store.create(host)).toBe('created')
    expect(await store.create(linked)).toBe('created')
    expect(await store.setIfAbsent('a-nonce', 60)).toBe(true)
    const written = async () => {
      const found: string[] = []
      let cursor = '0'
      do {
        const [next, batch] = await client.scan(cursor, 'MATCH', `${layoutPrefix}*`, 'COUNT', 500)
        cursor = next
        found.push(...batch)
      } while (cursor !== '0')
      return found.sort()
    }
    // <prefix>{<tag>}s:<id> (hash), {<tag>}c:<id> (set), {<tag>}u:<user> (set), n:<key> (string).
    expect(await written()).toEqual(
      [
        `${layoutPrefix}{${tag}}s:${host.id}`,
        `${layoutPrefix}{${tag}}s:${linked.id}`,
        `${layoutPrefix}{${tag}}c:${host.id}`,
        `${layoutPrefix}{${tag}}u:${userId}`,
        `${layoutPrefix}n:a-nonce`,
      ].sort(),
    )
    expect(await client.hgetall(`${layoutPrefix}{${tag}}s:${linked.id}`)).toMatchObject({
      v: '1',
      p: host.id,
      u: userId,
    })
    expect(await client.smembers(`${layoutPrefix}{${tag}}u:${userId}`)).toEqual([host.id])
    expect(await client.smembers(`${layoutPrefix}{${tag}}c:${host.id}`)).toEqual([linked.id])
    expect((await store.delete(host.id)).sort()).toEqual([host.id, linked.id].sort())
    // The user's index entry goes with the session: only the nonce is left.
    expect(await written()).toEqual([`${layoutPrefix}n:a-nonce`])
  })
})

describe('native TTL', () => {
  it('sets each record to expire at its own expiry, and the index no earlier', async () => {
    const { createSessionEngine, generateSyncKey } = await import('@share/core')
    const store = redisStore({ client, prefix })
    const engine = createSessionEngine({ syncKey: generateSyncKey(), store })
    const { session } = await engine.create({ userId: 'ttl-user' })
    const keys = createKeys(prefix)
    const recordExpiry = await client.pexpiretime(keys.record(session.id))
    expect(
      Math.abs(recordExpiry - Math.min(session.idleExpiresAt, session.absoluteExpiresAt)),
    ).toBeLessThan(5)
    expect(await client.pexpiretime(keys.user('ttl-user'))).toBeGreaterThanOrEqual(recordExpiry)
  })

  it('prunes index entries of records that expired by themselves when listing', async () => {
    const store = redisStore({ client, prefix })
    const keys = createKeys(prefix)
    const { makeRecord, createClock } = await import('@share/store-testkit')
    const clock = createClock('real')
    const short = makeRecord(clock, { userId: 'prune-user', idleExpiresAt: Date.now() + 200 })
    await store.create(short)
    expect(await client.scard(keys.user('prune-user'))).toBe(1)
    await new Promise((resolve) => setTimeout(resolve, 400))
    expect(await store.listUser('prune-user')).toEqual([])
    expect(await client.scard(keys.user('prune-user'))).toBe(0)
  })

  it('keeps nothing under a key that does not start with the prefix', async () => {
    const store = redisStore({ client, prefix })
    await store.setIfAbsent('nonce-check', 5)
    expect(await client.exists(`${prefix}n:nonce-check`)).toBe(1)
  })
})
