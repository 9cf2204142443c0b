import { testSessionStore } from '@share/store-testkit'
import { createStorage } from 'unstorage'
import fsDriver from 'unstorage/drivers/fs'
import memoryDriver from 'unstorage/drivers/memory'
import redisDriver from 'unstorage/drivers/redis'
import { afterAll } from 'vitest'
import { unstorageStore } from '../src/index.js'
import { REDIS, removeUnder, tempDir, uniqueName } from './helpers.js'

// One storage per driver, shared by every test of this file, so the suite's
// prefix-isolation test really puts two prefixes in one storage. Each test
// removes only the keys under its own prefix.

const memory = createStorage({ driver: memoryDriver() })

testSessionStore({
  name: 'unstorage (memory driver)',
  time: 'virtual',
  create: ({ prefix, now }) => unstorageStore({ storage: memory, prefix, now }),
  cleanup: (_store, prefix) => removeUnder(memory, prefix),
})

const dir = tempDir('conformance')
const fs = createStorage({ driver: fsDriver({ base: dir.path }) })

testSessionStore({
  name: 'unstorage (fs driver)',
  time: 'virtual',
  create: ({ prefix, now }) => unstorageStore({ storage: fs, prefix, now }),
  cleanup: (_store, prefix) => removeUnder(fs, prefix),
})

// The real server on 127.0.0.1:6379, under a key base of this run only.
const redisBase = uniqueName('share-unstorage-test')
const redis = createStorage({ driver: redisDriver({ ...REDIS, base: redisBase }) })

testSessionStore({
  name: 'unstorage (redis driver, sweep, virtual time)',
  time: 'virtual',
  create: ({ prefix, now }) => unstorageStore({ storage: redis, prefix: `v:${prefix}`, now }),
  cleanup: (_store, prefix) => removeUnder(redis, `v:${prefix}`),
})

testSessionStore({
  name: 'unstorage (redis driver, native TTL, real time)',
  time: 'real',
  create: ({ prefix }) =>
    unstorageStore({ storage: redis, prefix: `t:${prefix}`, nativeTtl: true }),
  cleanup: (_store, prefix) => removeUnder(redis, `t:${prefix}`),
})

afterAll(async () => {
  await memory.dispose()
  await fs.dispose()
  dir.remove()
  // Everything under this run's base, then the connection.
  await redis.clear()
  await redis.dispose()
})
