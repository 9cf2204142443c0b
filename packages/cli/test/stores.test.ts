import { createSessionEngine, generateSyncKey } from '@share/core'
import { createKeyring, sealSessionId, unsealSessionId } from '@share/core/token'
import { storeFromUrl } from '@share/store-url'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  deleteKeysUnder,
  SHARED_REDIS_URL,
  startCluster,
  type TestCluster,
} from '../../store-redis/test/servers.ts'
import { startUpstashShim, type UpstashShim } from '../../store-upstash/test/shim/upstash-shim.ts'
import { share } from './bin.ts'

const KEY = generateSyncKey()
const REMOTE = 'https://app-b.example.com'

/** What `share stats --json` counts after {@link populate}. */
const POPULATED = { hostSessions: 3, linkedSessions: 1, users: 2, perRemote: { [REMOTE]: 1 } }

/** Two users, three devices, one linked session, through the engine on the given store URL. */
async function populate(url: string, options: Parameters<typeof storeFromUrl>[1] = {}) {
  const opened = storeFromUrl(url, options)
  try {
    await opened.ready()
    const engine = createSessionEngine({ syncKey: KEY, store: opened.store })
    const first = await engine.create({
      userId: 'ann',
      client: { ip: '192.0.2.4', userAgent: null },
    })
    await engine.create({ userId: 'ann' })
    await engine.create({ userId: 'ben' })
    await engine.link({ hostSessionId: first.session.id, audience: REMOTE })
    return first.session.handle
  } finally {
    await opened.close()
  }
}

describe('redis+cluster://', () => {
  let cluster: TestCluster
  let url: string
  beforeAll(async () => {
    cluster = await startCluster()
    url = `redis+cluster://${cluster.nodes.map((node) => `${node.host}:${node.port}`).join(',')}`
  }, 60_000)
  afterAll(async () => {
    await cluster?.stop()
  })

  it('lists, counts over every master and revokes', async () => {
    const handle = await populate(url)
    const env = { SHARE_STORE_URL: url, SHARE_SYNC_KEY: KEY }
    const list = await share(['sessions', 'list', '--user', 'ann', '--json'], { env })
    expect(list.code, list.stderr).toBe(0)
    expect(JSON.parse(list.stdout)).toHaveLength(2)
    const stats = await share(['stats', '--json'], { env })
    expect(stats.code, stats.stderr).toBe(0)
    expect(JSON.parse(stats.stdout)).toMatchObject(POPULATED)
    const revoke = await share(['sessions', 'revoke', '--user', 'ann', '--', handle], { env })
    expect(revoke.code, revoke.stderr).toBe(0)
    const after = await share(['stats', '--json'], { env })
    expect(JSON.parse(after.stdout)).toMatchObject({ hostSessions: 2, linkedSessions: 0 })
  }, 60_000)
})

describe('upstash+http:// (the REST shim over the real Redis)', () => {
  const prefix = `share-cli-upstash-${process.pid}-${Date.now()}:`
  let shim: UpstashShim
  beforeAll(async () => {
    shim = await startUpstashShim({ redisUrl: SHARED_REDIS_URL })
  })
  afterAll(async () => {
    await shim?.close()
    const admin = new Redis(SHARED_REDIS_URL)
    await deleteKeysUnder(admin, prefix)
    admin.disconnect()
  })

  it('lists and counts (SCAN over REST) with the token from the environment, and reads the replay guard', async () => {
    const url = `upstash+${shim.url}`
    const env = { UPSTASH_REDIS_REST_TOKEN: shim.token }
    await populate(url, { prefix, env })
    const base = ['--store', url, '--prefix', prefix]
    const list = await share(['sessions', 'list', '--user', 'ann', ...base], { env })
    expect(list.code, list.stderr).toBe(0)
    expect(list.stdout.trim().split('\n')).toHaveLength(3)
    expect(list.stdout + list.stderr).not.toContain(shim.token)
    const stats = await share(['stats', '--json', ...base], { env })
    expect(stats.code, stats.stderr).toBe(0)
    expect(JSON.parse(stats.stdout)).toMatchObject(POPULATED)
    const opened = storeFromUrl(url, { prefix, env })
    const sessionId = (await opened.store.listUser('ben'))[0]!.id
    const keyring = await createKeyring(KEY)
    const token = await sealSessionId(keyring, { sessionId, audience: REMOTE })
    const { tokenId } = await unsealSessionId(keyring, token, { audience: REMOTE })
    const inspect = ['token', 'inspect', ...base, '--', token]
    const keyEnv = { ...env, SHARE_SYNC_KEY: KEY }
    const fresh = await share(inspect, { env: keyEnv })
    expect(fresh.stdout).toMatch(/used +no/)
    await opened.store.setIfAbsent(`token:${tokenId}`, 60)
    await opened.close()
    const used = await share(inspect, { env: keyEnv })
    expect(used.code).toBe(1)
    expect(used.stdout).toMatch(/used +yes/)
    expect(used.stdout + used.stderr).not.toContain(sessionId)
    const noToken = await share(['sessions', 'list', '--user', 'ann', ...base])
    expect(noToken.code).toBe(2)
    expect(noToken.stderr).toContain('UPSTASH_REDIS_REST_TOKEN')
  })
})
