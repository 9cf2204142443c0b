import { RECORD_PARSE_CACHE_SIZE, type SessionRecord } from '@share/core/store'
import { bumped, createClock, makeRecord } from '@share/store-testkit'
import { Redis } from 'ioredis'
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import {
  createKeys,
  createScriptedStore,
  fromIORedis,
  type RedisCommands,
  scriptSha1,
  scriptsFor,
} from '../src/index.js'
import { runScript } from '../src/runner.js'
import { deleteKeysUnder, SHARED_REDIS_URL } from './servers.js'

/**
 * The conditional read of getWithParent: the store sends the versions of the
 * copy it holds and the server answers 1 while they are current. Two stores
 * on one prefix stand for two app processes: what one writes, the other must
 * see on its next read, never its old copy.
 */
const client = new Redis(SHARED_REDIS_URL)
const runPrefix = `share-conditional-test-${process.pid}-${Date.now()}:`
const clock = createClock('real')
let prefix = ''
let count = 0

beforeEach(() => {
  prefix = `${runPrefix}${++count}:`
})

afterAll(async () => {
  await deleteKeysUnder(client, runPrefix)
  client.disconnect()
})

/** A store whose reads are logged: the versions sent and the raw answer. */
async function watchedStore() {
  const read = scriptsFor(prefix).getWithParent
  const readSha = await scriptSha1(read.source)
  const calls: { held: string; answer: unknown }[] = []
  const base = fromIORedis(client)
  const commands: RedisCommands = {
    ...base,
    evalsha: async (sha1, keys, args) => {
      const answer = await base.evalsha(sha1, keys, args)
      if (sha1 === readSha) calls.push({ held: args[0] ?? '', answer })
      return answer
    },
    // A server without the script yet (NOSCRIPT): the same read, sent with its source.
    eval: async (source, keys, args) => {
      const answer = await base.eval(source, keys, args)
      if (source === read.source) calls.push({ held: args[0] ?? '', answer })
      return answer
    },
  }
  return { store: createScriptedStore(commands, { prefix }), calls }
}

async function linkedPair() {
  const host = makeRecord(clock, { userId: 'reader' })
  const linked = makeRecord(clock, { userId: 'reader', parentId: host.id })
  const writer = createScriptedStore(fromIORedis(client), { prefix })
  expect(await writer.create(host)).toBe('created')
  expect(await writer.create(linked)).toBe('created')
  return { host, linked, writer }
}

const versions = (found: { session: SessionRecord; parent: SessionRecord | null } | null) =>
  found === null ? null : [found.session.version, found.parent?.version ?? null]

describe('getWithParent: the conditional read', () => {
  it('sends the versions it holds and, while they are current, receives 1 and gives the same copy', async () => {
    const { linked, host } = await linkedPair()
    const { store, calls } = await watchedStore()
    const first = await store.getWithParent(linked.id)
    expect(first?.session).toEqual(linked)
    expect(first?.parent).toEqual(host)
    const second = await store.getWithParent(linked.id)
    expect(second).toBe(first)
    expect(calls.map((call) => call.held)).toEqual(['', '1:1'])
    expect(calls[1]?.answer).toBe(1)
    expect(Array.isArray(calls[0]?.answer)).toBe(true)
  })

  it('holds a host record by its version alone', async () => {
    const host = makeRecord(clock, { userId: 'host-only' })
    const { store, calls } = await watchedStore()
    await store.create(host)
    await store.getWithParent(host.id)
    expect((await store.getWithParent(host.id))?.session).toEqual(host)
    expect(calls.map((call) => call.held)).toEqual(['', '1:'])
    expect(calls.at(-1)?.answer).toBe(1)
  })

  it("reads the record again after another store's update to it", async () => {
    const { linked, writer } = await linkedPair()
    const { store } = await watchedStore()
    await store.getWithParent(linked.id)
    const next = bumped(linked, { lastSeenAt: linked.lastSeenAt + 1000 })
    expect(await writer.compareAndSet(next, linked.version)).toBe(true)
    const found = await store.getWithParent(linked.id)
    expect(found?.session).toEqual(next)
    expect(versions(found)).toEqual([2, 1])
  })

  it("reads the parent again after another store's update to it (a touch at the host)", async () => {
    const { linked, host, writer } = await linkedPair()
    const { store, calls } = await watchedStore()
    await store.getWithParent(linked.id)
    const touched = bumped(host, { lastSeenAt: host.lastSeenAt + 1000 })
    expect(await writer.compareAndSet(touched, host.version)).toBe(true)
    const found = await store.getWithParent(linked.id)
    expect(found?.parent).toEqual(touched)
    // The new copy is held in turn.
    await store.getWithParent(linked.id)
    expect(calls.map((call) => call.held)).toEqual(['', '1:1', '1:2'])
    expect(calls.at(-1)?.answer).toBe(1)
  })

  it('gives no parent once the parent is gone, on every later read too', async () => {
    const { linked, host } = await linkedPair()
    const { store } = await watchedStore()
    await store.getWithParent(linked.id)
    // Only the parent's hash, as an expiry by TTL would leave it: the linked record stays.
    await client.del(createKeys(prefix).record(host.id))
    expect((await store.getWithParent(linked.id))?.parent).toBeNull()
    expect((await store.getWithParent(linked.id))?.parent).toBeNull()
  })

  it('gives null once another store deleted the record', async () => {
    const { linked, writer } = await linkedPair()
    const { store } = await watchedStore()
    await store.getWithParent(linked.id)
    expect(await writer.delete(linked.id)).toEqual([linked.id])
    expect(await store.getWithParent(linked.id)).toBeNull()
  })

  it('keeps no copy past its own delete, even of a record created again under that id', async () => {
    const host = makeRecord(clock, { userId: 'again' })
    const { store } = await watchedStore()
    await store.create(host)
    await store.getWithParent(host.id)
    expect(await store.delete(host.id)).toEqual([host.id])
    // Not what the engine does (its ids are random), but what the store contract allows.
    const again = { ...host, handle: 'another-handle-0000000' }
    expect(await store.create(again)).toBe('created')
    expect((await store.getWithParent(host.id))?.session).toEqual(again)
    await store.getWithParent(host.id)
    expect(await store.deleteUser('again')).toEqual([host.id])
    expect(await store.create(host)).toBe('created')
    expect((await store.getWithParent(host.id))?.session).toEqual(host)
  })

  it('gives null once the record expired on the server', async () => {
    const host = makeRecord(clock, { userId: 'expiring' })
    const { store } = await watchedStore()
    await store.create(host)
    await store.getWithParent(host.id)
    await client.pexpire(createKeys(prefix).record(host.id), 1)
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(await store.getWithParent(host.id)).toBeNull()
  })

  it('answers in full to versions it does not hold (held by no one, or made up)', async () => {
    const host = makeRecord(clock, { userId: 'made-up' })
    const writer = createScriptedStore(fromIORedis(client), { prefix })
    await writer.create(host)
    const ask = (held: string) =>
      runScript(
        fromIORedis(client),
        scriptsFor(prefix).getWithParent,
        [createKeys(prefix).record(host.id)],
        [held],
        2000,
      )
    expect(await ask('1:')).toBe(1)
    for (const held of ['', '2:', '1', '1:1', '1:gone', ':', '01:']) {
      expect(await ask(held)).toEqual([JSON.stringify(host)])
    }
  })

  it('holds at most as many records as the record parser, the oldest leaving first', async () => {
    const { store, calls } = await watchedStore()
    const records = Array.from({ length: RECORD_PARSE_CACHE_SIZE + 1 }, () =>
      makeRecord(clock, { userId: 'many' }),
    )
    const pipeline = client.pipeline()
    const keys = createKeys(prefix)
    for (const record of records) {
      pipeline.hset(
        keys.record(record.id),
        'd',
        JSON.stringify(record),
        'v',
        '1',
        'p',
        '',
        'u',
        'many',
      )
    }
    await pipeline.exec()
    for (const record of records) await store.getWithParent(record.id)
    calls.length = 0
    await store.getWithParent(records[0]!.id)
    await store.getWithParent(records.at(-1)!.id)
    expect(calls.map((call) => call.held)).toEqual(['', '1:'])
  })
})
