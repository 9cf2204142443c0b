import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createSessionEngine, generateSyncKey, isShareError } from '@share/core'
import { Redis } from 'ioredis'
import { afterAll, describe, expect, it } from 'vitest'
import { deleteKeysUnder, SHARED_REDIS_URL, startCluster } from '../../store-redis/test/servers.ts'
import { startUpstashShim } from '../../store-upstash/test/shim/upstash-shim.ts'
import { type OpenedStore, storeFromUrl } from '../src/index.js'

const RUN = `share-store-url-test-${process.pid}-${Date.now()}:`
const syncKey = generateSyncKey()
const opened: OpenedStore[] = []
const open = (...args: Parameters<typeof storeFromUrl>) => {
  const result = storeFromUrl(...args)
  opened.push(result)
  return result
}

afterAll(async () => {
  await Promise.all(opened.map((store) => store.close()))
  const admin = new Redis(SHARED_REDIS_URL)
  await deleteKeysUnder(admin, RUN)
  admin.disconnect()
})

/** Sign-in, list, revoke through the engine: the store works end to end. */
async function roundTrip(store: OpenedStore, userId: string) {
  await store.ready()
  const engine = createSessionEngine({
    syncKey,
    store: store.store,
    session: { allowNonAtomicStore: true },
  })
  await engine.create({ userId, client: { ip: '203.0.113.9', userAgent: 'test' } })
  const listed = await engine.list(userId)
  expect(listed).toHaveLength(1)
  // records() reads the backend's own layout (absent for memory:, which no other process sees).
  const usersIn = async () => {
    const users: string[] = []
    for await (const record of store.records!()) users.push(record.userId)
    return users.filter((id) => id === userId)
  }
  if (store.kind === 'memory') expect(store.records).toBeUndefined()
  else expect(await usersIn()).toEqual([userId])
  expect(await engine.revokeAll(userId)).toBe(1)
  expect(await engine.list(userId)).toEqual([])
  if (store.kind !== 'memory') expect(await usersIn()).toEqual([])
}

function configError(run: () => unknown): string {
  try {
    run()
  } catch (error) {
    expect(isShareError(error) && error.code).toBe('ERR_CONFIG_INVALID')
    return (error as Error).message
  }
  throw new Error('expected ERR_CONFIG_INVALID')
}

describe('bad URLs', () => {
  it('names the scheme and lists the accepted ones', () => {
    const message = configError(() => storeFromUrl('ftp://user:hunter2@example.com/x'))
    expect(message).toContain('"ftp:"')
    for (const accepted of [
      'redis://',
      'rediss://',
      'redis+cluster://',
      'upstash+https://',
      'fs:<path>',
      'memory:',
    ]) {
      expect(message).toContain(accepted)
    }
    expect(message).not.toContain('hunter2')
  })

  it('refuses empty and scheme-less URLs', () => {
    expect(configError(() => storeFromUrl(''))).toContain('empty')
    expect(configError(() => storeFromUrl('localhost:6379'))).toContain('localhost')
    expect(configError(() => storeFromUrl('/var/lib/share'))).toContain('no scheme')
  })

  it('never repeats a password or a token', () => {
    const secrets = ['s3cretpw', 'tok3n-value']
    const messages = [
      configError(() => storeFromUrl('redis://:s3cretpw@host:99999')),
      configError(() => storeFromUrl('redis://:s3cretpw@127.0.0.1/notadb')),
      configError(() => storeFromUrl('redis+cluster://u:s3cretpw@h1:1,h2:bad')),
      configError(() => storeFromUrl('redis+cluster://u:s3cretpw@')),
      configError(() => storeFromUrl('upstash+https://default:tok3n-value@eu1.upstash.io')),
      configError(() => storeFromUrl('https://:tok3n-value@example.com')),
      configError(() => storeFromUrl('upstash+https://eu1.upstash.io', { env: {} })),
    ]
    for (const message of messages)
      for (const secret of secrets) expect(message).not.toContain(secret)
    expect(messages[6]).toContain('UPSTASH_REDIS_REST_TOKEN')
  })

  it('refuses plain http for a non-loopback Upstash host and fs: with a host', () => {
    const env = { UPSTASH_REDIS_REST_TOKEN: 't' }
    expect(configError(() => storeFromUrl('upstash+http://example.com', { env }))).toContain(
      'loopback',
    )
    expect(configError(() => storeFromUrl('fs://server/dir'))).toContain('no host')
    expect(configError(() => storeFromUrl('fs:'))).toContain('directory')
    expect(configError(() => storeFromUrl('memory://x'))).toContain('memory:')
  })
})

describe('redis://', () => {
  it('opens the real Redis under a prefix and hides credentials in its location', async () => {
    const store = open(SHARED_REDIS_URL, { prefix: RUN })
    expect(store.kind).toBe('redis')
    expect(store.prefix).toBe(RUN)
    await roundTrip(store, 'alice')
    const admin = new Redis(SHARED_REDIS_URL)
    const engine = createSessionEngine({ syncKey, store: store.store })
    await engine.create({ userId: 'bob' })
    expect((await admin.keys(`${RUN}*`)).length).toBeGreaterThan(0)
    admin.disconnect()
    const withPassword = storeFromUrl('redis://user:pa55word@127.0.0.1:6379/2')
    expect(withPassword.location).toBe('redis://127.0.0.1:6379/2')
    await withPassword.close()
  })

  it('fails fast with ERR_STORE_UNAVAILABLE when nothing listens', async () => {
    const store = open('redis://:pa55word@127.0.0.1:4799', { connectTimeoutMs: 3000 })
    const started = Date.now()
    const error = await store.ready().then(
      () => null,
      (caught: unknown) => caught,
    )
    expect(isShareError(error) && error.code).toBe('ERR_STORE_UNAVAILABLE')
    expect((error as Error).message).toContain('redis://127.0.0.1:4799')
    expect((error as Error).message).not.toContain('pa55word')
    expect(Date.now() - started).toBeLessThan(3500)
  })
})

describe('redis+cluster://', () => {
  it('opens a three-master cluster from its seeds', async () => {
    const cluster = await startCluster()
    try {
      const seeds = cluster.nodes.map((node) => `${node.host}:${node.port}`).join(',')
      const store = storeFromUrl(`redis+cluster://${seeds}`, { prefix: 'cli:' })
      try {
        expect(store.kind).toBe('redis-cluster')
        expect(store.location).toBe(`redis+cluster://${seeds}`)
        await roundTrip(store, 'carol')
      } finally {
        await store.close()
      }
    } finally {
      await cluster.stop()
    }
  }, 60_000)
})

describe('upstash+http(s)://', () => {
  it('opens Upstash with the token from the environment (through the REST shim)', async () => {
    const shim = await startUpstashShim({ redisUrl: SHARED_REDIS_URL })
    try {
      const store = storeFromUrl(`upstash+${shim.url}`, {
        prefix: RUN,
        env: { UPSTASH_REDIS_REST_TOKEN: shim.token },
      })
      try {
        expect(store.kind).toBe('upstash')
        expect(store.location).not.toContain(shim.token)
        await roundTrip(store, 'dave')
      } finally {
        await store.close()
      }
    } finally {
      await shim.close()
    }
  })

  it('recognises an https://<name>.upstash.io URL', async () => {
    const store = open('https://eu1-example.upstash.io', { env: { UPSTASH_REDIS_REST_TOKEN: 'x' } })
    expect(store.kind).toBe('upstash')
    expect(store.location).toBe('https://eu1-example.upstash.io')
  })
})

describe('fs:', () => {
  const dir = mkdtempSync(join(tmpdir(), 'share-store-url-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('opens a directory by relative, absolute and file-URL-like paths', async () => {
    const absolute = open(`fs:${dir}/a`)
    expect(absolute.kind).toBe('fs')
    expect(absolute.directory).toBe(`${dir}/a`)
    await roundTrip(absolute, 'erin')
    expect(open(`fs://${dir}/b`).directory).toBe(`${dir}/b`)
    const relative = open('fs:./some/dir')
    expect(relative.directory).toBe(join(process.cwd(), 'some/dir'))
  })

  it('keeps expired records until sweep, which removes them', async () => {
    let now = Date.now()
    const store = open(`fs:${dir}/sweep`, { prefix: 'app:' })
    const engine = createSessionEngine({
      syncKey,
      store: store.store,
      now: () => now,
      session: { idleTimeoutSec: 120, touchIntervalSec: 30, allowNonAtomicStore: true },
    })
    await engine.create({ userId: 'frank' })
    now += 200_000
    expect(await engine.list('frank')).toEqual([])
    expect(await engine.sweep()).toEqual({ scanned: 1, removed: 1, kept: 0 })
    expect(await engine.sweep()).toEqual({ scanned: 0, removed: 0, kept: 0 })
  })
})

describe('memory:', () => {
  it('opens an in-process store', async () => {
    const store = open('memory:')
    expect(store.kind).toBe('memory')
    await roundTrip(store, 'gina')
  })
})
