import { createSessionEngine, generateSyncKey } from '@share/core'
import { bumped, createClock, freshUserId, makeRecord } from '@share/store-testkit'
import { createStorage, defineDriver } from 'unstorage'
import memoryDriver from 'unstorage/drivers/memory'
import { describe, expect, it } from 'vitest'
import { unstorageStore } from '../src/index.js'

/**
 * What this store does NOT promise. Two store instances over one storage
 * stand for two processes: each has its own locks, so nothing orders their
 * read-modify-writes. These tests pin down the README's "Not atomic"
 * section: what is guaranteed, and what a race can really do.
 */

/** A memory storage whose writes to matching keys can be held back, to interleave exactly. */
function gatedStorage() {
  const inner = memoryDriver()
  const waiting: (() => void)[] = []
  let holding: RegExp | null = null
  const gated = defineDriver(() => ({
    ...inner,
    name: 'gated',
    async setItem(key: string, value: string, options: Record<string, unknown>) {
      if (holding?.test(key)) await new Promise<void>((resolve) => waiting.push(resolve))
      return inner.setItem?.(key, value, options)
    },
  }))
  return {
    storage: createStorage({ driver: gated(undefined) }),
    hold(pattern: RegExp) {
      holding = pattern
    },
    /** Resolves once `count` writes are being held. */
    async blocked(count: number) {
      while (waiting.length < count) await new Promise((resolve) => setTimeout(resolve, 1))
    },
    release() {
      holding = null
      for (const resume of waiting.splice(0)) resume()
    },
  }
}

const clock = createClock('virtual')
const twoProcesses = () => {
  const gate = gatedStorage()
  const make = () => unstorageStore({ storage: gate.storage, prefix: 'p:', now: clock.now })
  return { gate, a: make(), b: make() }
}

describe('not atomic across processes', () => {
  it('declares atomic: false, so the engine needs allowNonAtomicStore', async () => {
    const { a } = twoProcesses()
    expect(a.capabilities).toEqual({ atomic: false, nativeTtl: false })
    const syncKey = generateSyncKey()
    expect(() => createSessionEngine({ syncKey, store: a })).toThrow(/not atomic/)
    expect(() =>
      createSessionEngine({ syncKey, store: a, session: { allowNonAtomicStore: true } }),
    ).not.toThrow()
  })

  it('racing setIfAbsent from two processes: at least one wins (guaranteed)', async () => {
    const { a, b } = twoProcesses()
    for (let round = 0; round < 20; round++) {
      const key = `token:${round}`
      const results = await Promise.all([a.setIfAbsent(key, 60), b.setIfAbsent(key, 60)])
      expect(results.filter(Boolean).length).toBeGreaterThanOrEqual(1)
      expect(await a.setIfAbsent(key, 60)).toBe(false)
    }
  })

  it('...and both can win: one hand-off token redeemed twice', async () => {
    const { gate, a, b } = twoProcesses()
    gate.hold(/:n:/)
    const first = a.setIfAbsent('token:x', 60)
    const second = b.setIfAbsent('token:x', 60)
    await gate.blocked(2)
    gate.release()
    expect(await Promise.all([first, second])).toEqual([true, true])
  })

  it('two logins of one user in two processes can lose one index entry', async () => {
    const { gate, a, b } = twoProcesses()
    const userId = freshUserId()
    const [one, two] = [makeRecord(clock, { userId }), makeRecord(clock, { userId })]
    gate.hold(/:u:/)
    const creating = [a.create(one), b.create(two)]
    await gate.blocked(2)
    gate.release()
    expect(await Promise.all(creating)).toEqual(['created', 'created'])
    // Both sessions work, but only one is listed, so revoke-all misses the other.
    expect([await a.get(one.id), await a.get(two.id)]).toEqual([one, two])
    expect(await a.listUser(userId)).toEqual([two])
    expect(await a.deleteUser(userId)).toEqual([two.id])
    expect(await a.get(one.id)).toEqual(one)
  })

  it('a touch racing a revoke elsewhere can bring the session back, unlisted', async () => {
    const { gate, a, b } = twoProcesses()
    const record = makeRecord(clock)
    await a.create(record)
    gate.hold(/:s:/)
    const touching = a.compareAndSet(bumped(record), 1) // has read version 1, now writing
    await gate.blocked(1)
    expect(await b.delete(record.id)).toEqual([record.id])
    gate.release()
    expect(await touching).toBe(true)
    expect(await b.get(record.id)).toEqual(bumped(record))
    expect(await b.listUser(record.userId)).toEqual([])
  })

  it('a link racing a revoke elsewhere can leave a linked record without parent', async () => {
    const { gate, a, b } = twoProcesses()
    const host = makeRecord(clock)
    await a.create(host)
    const child = makeRecord(clock, { userId: host.userId, parentId: host.id })
    gate.hold(/:s:/)
    const linking = a.create(child) // has seen the parent alive, now writing
    await gate.blocked(1)
    await b.delete(host.id)
    gate.release()
    expect(await linking).toBe('created')
    // The engine refuses it (`parent-gone`): getWithParent shows no parent.
    expect(await b.getWithParent(child.id)).toEqual({ session: child, parent: null })
  })

  it('the same races within one process keep every promise', async () => {
    const { gate, a } = twoProcesses()
    const userId = freshUserId()
    const [one, two] = [makeRecord(clock, { userId }), makeRecord(clock, { userId })]
    gate.hold(/:[un]:/)
    const racing = Promise.all([
      a.setIfAbsent('token:y', 60),
      a.setIfAbsent('token:y', 60),
      a.create(one),
      a.create(two),
    ])
    await gate.blocked(1)
    gate.release()
    expect(await racing).toEqual([true, false, 'created', 'created'])
    expect((await a.listUser(userId)).length).toBe(2)
  })
})

describe('with the engine (allowNonAtomicStore: true)', () => {
  it('signs in, links a remote, lists, revokes and guards replays', async () => {
    const store = unstorageStore({ storage: createStorage(), now: clock.now })
    const engine = createSessionEngine({
      syncKey: generateSyncKey(),
      store,
      session: { allowNonAtomicStore: true },
      now: clock.now,
    })
    const { session, cookie } = await engine.create({ userId: 'alice', user: { name: 'Alice' } })
    expect(await engine.resolve(cookie)).toMatchObject({ ok: true, userId: 'alice' })
    const audience = 'https://app-b.example.com'
    const remote = await engine.link({ hostSessionId: session.id, audience })
    expect(await engine.resolve(remote.cookie, { audience })).toMatchObject({ ok: true })
    expect(await engine.list('alice')).toHaveLength(1)
    // The replay guard's primitive: set-if-absent (not atomic across processes here).
    expect(await store.setIfAbsent('token:t1', 60)).toBe(true)
    expect(await store.setIfAbsent('token:t1', 60)).toBe(false)
    expect(await engine.revokeAll('alice')).toBe(2)
    expect(await engine.resolve(cookie)).toMatchObject({ ok: false, reason: 'not-found' })
    expect(await engine.resolve(remote.cookie, { audience })).toMatchObject({ ok: false })
    expect(await engine.sweep()).toEqual({ scanned: 0, removed: 0, kept: 0 })
  })
})
