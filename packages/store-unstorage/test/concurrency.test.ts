import type { SessionStore } from '@share/core/store'
import { bumped, createClock, freshUserId, makeRecord } from '@share/store-testkit'
import { createStorage, type Storage } from 'unstorage'
import fsDriver from 'unstorage/drivers/fs'
import memoryDriver from 'unstorage/drivers/memory'
import { afterAll, describe, expect, it } from 'vitest'
import { unstorageStore } from '../src/index.js'
import { tempDir } from './helpers.js'

const times = <T>(count: number, make: (index: number) => T): T[] =>
  Array.from({ length: count }, (_, i) => make(i))

const dir = tempDir('concurrency')
afterAll(() => dir.remove())

const drivers: [string, () => Storage][] = [
  ['memory', () => createStorage({ driver: memoryDriver() })],
  ['fs', () => createStorage({ driver: fsDriver({ base: dir.path }) })],
]

// The conformance suite skips its atomicity tests for `atomic: false`. Within
// one process this store still keeps those promises: its per-user locks
// serialize every read-modify-write. The same tests, asserted here.
describe.each(drivers)('concurrent calls in one process (%s driver)', (_name, makeStorage) => {
  const clock = createClock('virtual')
  const fresh = (): SessionStore =>
    unstorageStore({ storage: makeStorage(), prefix: `c${Math.random()}`, now: clock.now })

  it('50 concurrent consumes of one nonce: exactly one wins', async () => {
    const store = fresh()
    const results = await Promise.all(times(50, () => store.setIfAbsent('token:x', 60)))
    expect(results.filter(Boolean)).toHaveLength(1)
  })

  it('50 concurrent touches racing a revoke: the session stays revoked', async () => {
    const store = fresh()
    const record = makeRecord(clock)
    await store.create(record)
    const touch = (i: number) =>
      store.compareAndSet(bumped(record, { lastSeenAt: record.lastSeenAt + i }), 1)
    await Promise.all([...times(25, touch), store.delete(record.id), ...times(25, touch)])
    expect(await store.get(record.id)).toBeNull()
    expect(await store.listUser(record.userId)).toEqual([])
  })

  it('concurrent updates of one version: exactly one wins', async () => {
    const store = fresh()
    const record = makeRecord(clock)
    await store.create(record)
    const results = await Promise.all(
      times(20, (i) => store.compareAndSet(bumped(record, { lastSeenAt: i }), 1)),
    )
    expect(results.filter(Boolean)).toHaveLength(1)
    expect(await store.get(record.id)).toEqual(
      bumped(record, { lastSeenAt: results.indexOf(true) }),
    )
  })

  it('100 concurrent logins of one user leave exactly 100 index entries', async () => {
    const store = fresh()
    const userId = freshUserId()
    const records = times(100, () => makeRecord(clock, { userId }))
    await Promise.all(records.map((record) => store.create(record)))
    expect(await store.listUser(userId)).toHaveLength(100)
  })

  it('revoking a parent while a remote links to it leaves no live linked session', async () => {
    const store = fresh()
    for (let round = 0; round < 20; round++) {
      const host = makeRecord(clock)
      await store.create(host)
      const child = makeRecord(clock, { userId: host.userId, parentId: host.id })
      await Promise.all([store.create(child), store.delete(host.id)])
      expect(await store.get(child.id)).toBeNull()
    }
  })

  it('reads racing writes never see a half-written record (fs truncates first)', async () => {
    const store = fresh()
    const record = makeRecord(clock, { user: { padding: 'x'.repeat(4_000) } })
    await store.create(record)
    let writing = true
    const writes = (async () => {
      let current = record
      for (let i = 0; i < 100; i++) {
        const next = bumped(current, { lastSeenAt: current.lastSeenAt + 1 })
        expect(await store.compareAndSet(next, current.version)).toBe(true)
        current = next
      }
      writing = false
    })()
    // Readers keep reading while the writes go on, as parallel requests of one user would.
    let missed = 0
    const reader = async () => {
      while (writing) if ((await store.get(record.id)) === null) missed++
    }
    await Promise.all([writes, ...times(4, reader)])
    expect(missed).toBe(0)
  })
})
