import { isShareError } from '@share/core'
import { userTag } from '@share/core/store'
import { createClock, makeRecord } from '@share/store-testkit'
import { Redis } from 'ioredis'
import { afterAll, describe, expect, it } from 'vitest'
import { createKeys, createScriptedStore, fromIORedis, redisStore } from '../src/index.js'
import { deleteKeysUnder, SHARED_REDIS_URL } from './servers.js'

/**
 * What the store refuses before it writes, and what it reads past: records
 * it cannot parse, and clients that answer an empty list as nil. Against the
 * shared server, under a prefix of this run.
 */
const client = new Redis(SHARED_REDIS_URL)
const prefix = `share-records-test-${process.pid}-${Date.now()}:`
const clock = createClock('real')

afterAll(async () => {
  await deleteKeysUnder(client, prefix)
  client.disconnect()
})

async function refusal(
  promise: Promise<unknown>,
): Promise<{ code: string; detail: string | undefined }> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  if (!isShareError(error)) throw new Error(`expected a ShareError, got ${String(error)}`)
  return { code: error.code, detail: error.detail }
}

describe('create: ids carry the user tag', () => {
  it('refuses a session whose id does not start with userTag(userId), and writes nothing', async () => {
    const store = redisStore({ client, prefix })
    const record = makeRecord(clock, { userId: 'tag-user' })
    const foreign = { ...record, id: `zz${record.id.slice(2)}` }
    expect(foreign.id.startsWith(userTag('tag-user'))).toBe(false)
    const { code, detail } = await refusal(store.create(foreign))
    expect(code).toBe('ERR_ARGUMENT_INVALID')
    expect(detail).toMatch(/userTag\(userId\)/)
    expect(await client.exists(createKeys(prefix).record(foreign.id))).toBe(0)
    expect(await client.exists(createKeys(prefix).user('tag-user'))).toBe(0)
  })

  it("refuses a linked session whose parent id does not start with the user's tag", async () => {
    const store = redisStore({ client, prefix })
    const parent = makeRecord(clock, { userId: 'other-user' })
    expect(await store.create(parent)).toBe('created')
    // Its own id is right; its parent belongs to another user's slot.
    const linked = makeRecord(clock, { userId: 'tag-user-2', parentId: parent.id })
    expect((await refusal(store.create(linked))).code).toBe('ERR_ARGUMENT_INVALID')
    expect(await client.exists(createKeys(prefix).record(linked.id))).toBe(0)
  })
})

describe('setIfAbsent: the TTL', () => {
  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])(
    'refuses a TTL of %s seconds before sending anything',
    async (ttlSec) => {
      const store = redisStore({ client, prefix })
      const { code, detail } = await refusal(store.setIfAbsent(`ttl-${ttlSec}`, ttlSec))
      expect(code).toBe('ERR_ARGUMENT_INVALID')
      expect(detail).toBe('ttlSec must be a positive number')
      expect(await client.exists(createKeys(prefix).nonce(`ttl-${ttlSec}`))).toBe(0)
    },
  )
})

describe('records the store cannot parse', () => {
  it('reads a corrupt record as missing, and lists the user without it', async () => {
    const store = redisStore({ client, prefix })
    const keys = createKeys(prefix)
    const good = makeRecord(clock, { userId: 'corrupt-user' })
    const bad = makeRecord(clock, { userId: 'corrupt-user' })
    expect(await store.create(good)).toBe('created')
    expect(await store.create(bad)).toBe('created')
    await client.hset(keys.record(bad.id), 'd', '{"not": "a record"')
    expect(await store.get(bad.id)).toBeNull()
    expect(await store.getWithParent(bad.id)).toBeNull()
    expect(await store.listUser('corrupt-user')).toEqual([good])
  })
})

describe('a client that answers an empty list as nil', () => {
  it('lists and deletes nothing, as with an empty list', async () => {
    const base = fromIORedis(client)
    const nilForEmpty = (answer: unknown) =>
      Array.isArray(answer) && answer.length === 0 ? null : answer
    const store = createScriptedStore(
      {
        ...base,
        evalsha: (sha1, keys, args) => base.evalsha(sha1, keys, args).then(nilForEmpty),
        eval: (source, keys, args) => base.eval(source, keys, args).then(nilForEmpty),
      },
      { prefix },
    )
    const missing = makeRecord(clock, { userId: 'nil-user' })
    expect(await store.listUser('nil-user')).toEqual([])
    expect(await store.delete(missing.id)).toEqual([])
    expect(await store.deleteUser('nil-user')).toEqual([])
  })
})
