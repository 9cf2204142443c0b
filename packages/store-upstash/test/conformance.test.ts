import { testSessionStore } from '@share/store-testkit'
import { Redis } from 'ioredis'
import { afterAll, beforeAll } from 'vitest'
// Test helpers of the Redis store's suite: SCAN-based cleanup of this run's keys only.
import { deleteKeysUnder } from '../../store-redis/test/servers.ts'
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
  await deleteKeysUnder(redis, runPrefix)
  redis.disconnect()
  await shim?.close()
})

testSessionStore({
  name: 'upstash (REST, @upstash/redis 1.39)',
  time: 'real',
  create: ({ prefix }) =>
    upstashStore({ url: shim.url, token: shim.token, prefix: runPrefix + prefix }),
  cleanup: (_store, prefix) => deleteKeysUnder(redis, runPrefix + prefix),
})
