import { testSessionStore } from '@share/store-testkit'
import { Redis } from 'ioredis'
import { afterAll } from 'vitest'
import { redisStore } from '../src/index.js'
import { deleteKeysUnder, SHARED_REDIS_URL } from './servers.js'

// The shared server on 127.0.0.1:6379: every test uses its own prefix and deletes only its keys.
const client = new Redis(SHARED_REDIS_URL, { enableOfflineQueue: true, maxRetriesPerRequest: 1 })
const runPrefix = `share-test-${process.pid}-${Date.now()}:`

afterAll(async () => {
  await deleteKeysUnder(client, runPrefix)
  client.disconnect()
})

testSessionStore({
  name: `redis (single server, ${SHARED_REDIS_URL})`,
  time: 'real',
  create: ({ prefix }) => redisStore({ client, prefix: runPrefix + prefix }),
  cleanup: (_store, prefix) => deleteKeysUnder(client, runPrefix + prefix),
})
