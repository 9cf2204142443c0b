import { testSessionStore } from '@share/store-testkit'
import { Redis } from 'ioredis'
import { afterAll, beforeAll } from 'vitest'
import { upstashStore } from '../src/index.js'
import { startUpstashShim, type UpstashShim } from './shim/upstash-shim.js'

// The real @upstash/redis client, over Upstash's REST protocol, to the real Redis (through the shim).
let shim: UpstashShim
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379')
const runPrefix = `share-upstash-test-${process.pid}-${Date.now()}:`

beforeAll(async () => {
  shim = await startUpstashShim()
})

afterAll(async () => {
  await deleteKeysUnder(runPrefix)
  redis.disconnect()
  await shim?.close()
})

/** Deletes this run's keys only (tests may SCAN; request paths never do). */
async function deleteKeysUnder(prefix: string): Promise<void> {
  const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`
  let cursor = '0'
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500)
    cursor = next
    if (keys.length > 0) await redis.unlink(...keys)
  } while (cursor !== '0')
}

testSessionStore({
  name: 'upstash (REST, @upstash/redis 1.39)',
  time: 'real',
  create: ({ prefix }) =>
    upstashStore({ url: shim.url, token: shim.token, prefix: runPrefix + prefix }),
  cleanup: (_store, prefix) => deleteKeysUnder(runPrefix + prefix),
})
