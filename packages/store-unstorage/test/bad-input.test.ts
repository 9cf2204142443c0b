import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { isShareError } from '@share/core'
import { userTag } from '@share/core/store'
import { createClock, HOSTILE, makeRecord, sessionIdFor } from '@share/store-testkit'
import { createStorage, defineDriver } from 'unstorage'
import fsDriver from 'unstorage/drivers/fs'
import memoryDriver from 'unstorage/drivers/memory'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { unstorageStore } from '../src/index.js'
import { tempDir } from './helpers.js'

const clock = createClock('virtual')

describe('hostile ids, user ids, nonce keys and prefixes on the fs driver', () => {
  const dir = tempDir('hostile')
  afterEach(() => dir.remove())

  it('keeps every file inside its base directory', async () => {
    const base = join(dir.path, 'base')
    const storage = createStorage({ driver: fsDriver({ base }) })
    for (const prefix of ['share:', '../../escape:', '..', 'a/../../b:', '*[x]?:', '']) {
      const store = unstorageStore({ storage, prefix, now: clock.now })
      for (const text of HOSTILE) {
        const userId = `${text}u`
        const host = makeRecord(clock, { userId, id: sessionIdFor(userId, text) })
        const child = makeRecord(clock, { userId, parentId: host.id })
        expect(await store.create(host)).toBe('created')
        expect(await store.create(child)).toBe('created')
        expect(await store.setIfAbsent(text, 60)).toBe(true)
        expect(await store.getWithParent(child.id)).toEqual({ session: child, parent: host })
        expect(await store.listUser(userId)).toEqual([host])
      }
    }
    // Nothing was written next to the base, and nothing is named `..` inside it.
    expect(readdirSync(dir.path)).toEqual(['base'])
    const names = readdirSync(base, { recursive: true }).map(String)
    expect(names.some((name) => name.split(/[/\\]/).includes('..'))).toBe(false)
    await storage.dispose()
  })

  it('keeps stores with hostile prefixes apart', async () => {
    const storage = createStorage({ driver: fsDriver({ base: dir.path }) })
    const prefixes = ['a:', 'a:*:', 'a:~Kg:', 'a/b:', 'a:b:', '', ':', '..:']
    const record = makeRecord(clock)
    const stores = prefixes.map((prefix) => unstorageStore({ storage, prefix, now: clock.now }))
    expect(await stores[0]?.create(record)).toBe('created')
    for (const other of stores.slice(1)) {
      expect(await other.get(record.id)).toBeNull()
      expect(await other.listUser(record.userId)).toEqual([])
    }
    // `a/b` is one encoded segment, not `a` then `b`.
    expect(await stores[3]?.setIfAbsent('k', 60)).toBe(true)
    expect(await stores[4]?.setIfAbsent('k', 60)).toBe(true)
    // The empty prefix and `:` both mean "no prefix": the same store.
    expect(await stores[5]?.setIfAbsent('k', 60)).toBe(true)
    expect(await stores[6]?.setIfAbsent('k', 60)).toBe(false)
    await storage.dispose()
  })
})

describe('corrupted items read as absent', () => {
  const storage = createStorage({ driver: memoryDriver() })
  const store = unstorageStore({ storage, prefix: 'p:', now: clock.now })
  const record = makeRecord(clock, { userId: 'alice' })
  const garbage = ['', 'null', '{', '[1,2', '42', 'true', '{"id":1}', '"text"', '[]', '{}']

  it.each(garbage)('a record item holding %j', async (value) => {
    await storage.setItem(`p:s:${record.id}`, value)
    expect(await store.get(record.id)).toBeNull()
    expect(await store.getWithParent(record.id)).toBeNull()
    expect(await store.compareAndSet({ ...record, version: 2 }, 1)).toBe(false)
    expect(await store.create(record)).toBe('created')
    expect(await store.get(record.id)).toEqual(record)
    await store.delete(record.id)
  })

  it.each(garbage)('an index or children item holding %j', async (value) => {
    await storage.setItem('p:u:alice', value)
    await storage.setItem(`p:c:${record.id}`, value)
    expect(await store.listUser('alice')).toEqual([])
    expect(await store.getWithParent(record.id)).toBeNull()
    expect(await store.create(record)).toBe('created')
    expect(await store.listUser('alice')).toEqual([record])
    expect(await store.delete(record.id)).toEqual([record.id])
  })

  it.each(garbage)('a nonce item holding %j', async (value) => {
    await storage.setItem('p:n:token', value)
    expect(await store.setIfAbsent('token', 60)).toBe(true)
    expect(await store.setIfAbsent('token', 60)).toBe(false)
    await storage.removeItem('p:n:token')
  })

  it("a valid record stored under another id's key", async () => {
    const other = makeRecord(clock, { userId: 'alice' })
    await storage.setItem(`p:s:${other.id}`, JSON.stringify(record))
    await storage.setItem('p:u:alice', JSON.stringify([other.id]))
    expect(await store.get(other.id)).toBeNull()
    expect(await store.listUser('alice')).toEqual([])
  })

  it('a record with a prototype-polluting key pollutes nothing', async () => {
    // unstorage's JSON parsing (destr) drops the key and says so on the console.
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const text = JSON.stringify(record).replace('{', '{"__proto__":{"polluted":true},')
    await storage.setItem(`p:s:${record.id}`, text)
    const found = await store.get(record.id)
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined()
    expect(found === null || !('polluted' in found)).toBe(true)
    await storage.removeItem(`p:s:${record.id}`)
  })
})

/** A driver whose every call fails (or never answers), quoting the key as real drivers do. */
const brokenDriver = defineDriver((mode: 'throw' | 'hang') => {
  const fail = (key: string) => {
    if (mode === 'hang') return new Promise<never>(() => {})
    const error = Object.assign(new Error(`EACCES: permission denied, open '/data/${key}'`), {
      code: 'EACCES',
    })
    throw error
  }
  return {
    name: 'broken',
    hasItem: fail,
    getItem: fail,
    setItem: fail,
    removeItem: fail,
    getKeys: fail,
  }
})

/** Runs `operation` and returns the error it fails with. */
async function failure(operation: () => unknown): Promise<unknown> {
  try {
    await operation()
  } catch (error) {
    return error
  }
  throw new Error('expected a failure')
}

describe('a failing or hanging driver', () => {
  const record = makeRecord(clock, { userId: 'alice' })
  const calls = (store: ReturnType<typeof unstorageStore>) => [
    () => store.get(record.id),
    () => store.getWithParent(record.id),
    () => store.create(record),
    () => store.compareAndSet(record, 1),
    () => store.delete(record.id),
    () => store.listUser(record.userId),
    () => store.deleteUser(record.userId),
    () => store.setIfAbsent('token', 60),
    () => store.hasKey('token'),
    () => store.sweep(clock.now()),
  ]

  it('turns every driver error into ERR_STORE_UNAVAILABLE without the key or id', async () => {
    const store = unstorageStore({ storage: createStorage({ driver: brokenDriver('throw') }) })
    for (const call of calls(store)) {
      const error = await failure(call)
      expect(isShareError(error) && error.code).toBe('ERR_STORE_UNAVAILABLE')
      const text = `${String(error)} ${String((error as Error).cause)} ${(error as Error).stack}`
      expect(text).not.toContain(record.id)
      expect(text).not.toContain(userTag(record.userId))
      expect(text).not.toContain('/data/')
      expect(String((error as Error).cause)).toMatch(/unstorage \w+ failed \(EACCES\)/)
    }
  })

  it('fails a call that hangs within the timeout, and frees the lock', async () => {
    const store = unstorageStore({
      storage: createStorage({ driver: brokenDriver('hang') }),
      operationTimeoutMs: 50,
    })
    for (const call of calls(store)) {
      const started = Date.now()
      const error = await failure(call)
      expect(Date.now() - started).toBeLessThan(1_000)
      expect(isShareError(error) && error.code).toBe('ERR_STORE_UNAVAILABLE')
      expect(String((error as Error).cause)).toContain('no answer within 50 ms')
    }
  })

  it('recovers when the driver answers again', async () => {
    let broken = true
    const flaky = defineDriver(() => {
      const inner = memoryDriver()
      const gate =
        <A extends unknown[], R>(method: (...args: A) => R) =>
        (...args: A) => {
          if (broken) throw new Error('down')
          return method(...args)
        }
      return { ...inner, getItem: gate(inner.getItem), setItem: gate(inner.setItem!) }
    })
    const store = unstorageStore({ storage: createStorage({ driver: flaky(undefined) }) })
    await expect(store.create(record)).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' })
    broken = false
    expect(await store.create(record)).toBe('created')
    expect(await store.get(record.id)).toEqual(record)
  })
})

describe('arguments and options', () => {
  const storage = createStorage({ driver: memoryDriver() })

  it.each([
    [{ storage, prefix: 42 }, 'prefix must be a string'],
    [{ storage, prefix: null }, 'prefix must be a string'],
    [{ storage: {} }, 'storage must be an unstorage Storage'],
    [{ storage: null }, 'storage must be an unstorage Storage'],
    [{ storage, nativeTtl: 'yes' }, 'nativeTtl'],
    [{ storage, now: 5 }, 'now must be a function'],
    [{ storage, operationTimeoutMs: 0 }, 'operationTimeoutMs'],
    [{ storage, operationTimeoutMs: 1.5 }, 'operationTimeoutMs'],
    [{ storage, operationTimeoutMs: 120_000 }, 'operationTimeoutMs'],
  ])('refuses %o with ERR_CONFIG_INVALID', (options, message) => {
    const make = () => unstorageStore(options as unknown as Parameters<typeof unstorageStore>[0])
    expect(make).toThrow(expect.objectContaining({ code: 'ERR_CONFIG_INVALID' }))
    expect(make).toThrow(message)
  })

  it('refuses a nonce without a positive TTL, and an unstorable record', async () => {
    const store = unstorageStore({ storage })
    for (const ttl of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      await expect(store.setIfAbsent('k', ttl)).rejects.toMatchObject({
        code: 'ERR_ARGUMENT_INVALID',
      })
    }
    const huge = makeRecord(clock, { handle: 'h'.repeat(100) })
    await expect(store.create(huge)).rejects.toMatchObject({ code: 'ERR_ARGUMENT_INVALID' })
  })
})
