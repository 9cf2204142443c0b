import { isShareError } from '@share/core'
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

  it.each([0, -1, 1.5, 120_000])('refuses commandTimeoutMs %s', (commandTimeoutMs) => {
    expect(() => redisStore({ client, commandTimeoutMs })).toThrow(/commandTimeoutMs/)
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
