import { createClock, makeRecord } from '@share/store-testkit'
import { Redis } from 'ioredis'
import { createStorage } from 'unstorage'
import redisDriver from 'unstorage/drivers/redis'
import { afterAll, describe, expect, it } from 'vitest'
import { unstorageStore } from '../src/index.js'
import { REDIS, uniqueName } from './helpers.js'

// Looks at the real server: with nativeTtl every item the store writes
// carries a TTL, so nothing outlives its sessions; without it, none does.
const base = uniqueName('share-unstorage-ttl')
const storage = createStorage({ driver: redisDriver({ ...REDIS, base }) })
const client = 'url' in REDIS ? new Redis(REDIS.url) : new Redis(REDIS)

afterAll(async () => {
  await storage.clear()
  await storage.dispose()
  client.disconnect()
})

const clock = createClock('real')

describe('redis driver: native TTL on every item', () => {
  it('sets a TTL near each expiry with nativeTtl, and none without', async () => {
    const store = unstorageStore({ storage, prefix: 'ttl:', nativeTtl: true })
    const host = makeRecord(clock, { idleExpiresAt: Date.now() + 30_000 })
    const child = makeRecord(clock, { userId: host.userId, parentId: host.id })
    await store.create(host)
    await store.create(child)
    await store.setIfAbsent('token', 90)
    const ttl = (key: string) => client.ttl(`${base}:ttl:${key}`)
    expect(await ttl(`s:${host.id}`)).toBeGreaterThan(25)
    expect(await ttl(`s:${host.id}`)).toBeLessThanOrEqual(30)
    // Index lists live as long as their longest-lived record could (absolute expiry, 2 h).
    expect(await ttl(`u:${host.userId}`)).toBeGreaterThan(7_000)
    expect(await ttl(`c:${host.id}`)).toBeGreaterThan(7_000)
    expect(await ttl('n:token')).toBeGreaterThan(85)

    const plain = unstorageStore({ storage, prefix: 'plain:' })
    await plain.create(host)
    expect(await client.ttl(`${base}:plain:s:${host.id}`)).toBe(-1)
  })
})
