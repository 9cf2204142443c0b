import { testSessionStore } from '@share/store-testkit'
import { Cluster } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKeys, redisStore } from '../src/index.js'
import { startCluster, type TestCluster } from './servers.js'

// A real three-master cluster started for this file, stopped after it.
let cluster: TestCluster
let client: Cluster

beforeAll(async () => {
  cluster = await startCluster()
  client = new Cluster(cluster.nodes, { redisOptions: { maxRetriesPerRequest: 1 } })
}, 60_000)

afterAll(async () => {
  client?.disconnect()
  await cluster?.stop()
})

testSessionStore({
  name: 'redis cluster (3 masters)',
  time: 'real',
  create: ({ prefix }) => redisStore({ client, prefix }),
  // The cluster is ours alone and is thrown away after the file.
  cleanup: async () => {},
})

describe('cluster slots', () => {
  it('puts a session, its children set and its user index in one slot', async () => {
    const keys = createKeys('share:')
    const userId = 'alice@example.com'
    const { userTag } = await import('@share/core/store')
    const id = `${userTag(userId)}${'A'.repeat(43)}`
    const names = [keys.record(id), keys.children(id), keys.user(userId)]
    const slots = await Promise.all(names.map((name) => client.cluster('KEYSLOT', name)))
    expect(new Set(slots).size).toBe(1)
  })

  it('spreads different users over different slots', async () => {
    const keys = createKeys('share:')
    const slots = await Promise.all(
      Array.from({ length: 20 }, (_, i) => client.cluster('KEYSLOT', keys.user(`user-${i}`))),
    )
    expect(new Set(slots).size).toBeGreaterThan(10)
  })
})
