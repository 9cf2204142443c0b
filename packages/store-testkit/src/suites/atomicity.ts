import { describe, expect, it, type TestContext } from 'vitest'
import { bumped, freshUserId, makeRecord, randomText, type StoreTestContext } from '../context.js'

const times = <T>(count: number, make: (index: number) => T): T[] =>
  Array.from({ length: count }, (_, i) => make(i))

/** The concurrency promises; run only by stores that declare `atomic: true`. */
export function atomicityTests(ctx: () => StoreTestContext): void {
  /** Marks the test skipped (reported as skipped, never as passed) for a non-atomic store. */
  const requireAtomic = (t: TestContext) => {
    if (!ctx().store.capabilities.atomic) t.skip('store declares atomic: false')
  }

  describe('atomicity under concurrent calls (skipped for stores declaring atomic: false)', () => {
    it('50 concurrent consumes of one nonce: exactly one wins', async (t) => {
      requireAtomic(t)
      const { store } = ctx()
      const key = `token:${randomText(22)}`
      const results = await Promise.all(times(50, () => store.setIfAbsent(key, 60)))
      expect(results.filter(Boolean)).toHaveLength(1)
    })

    it('50 concurrent touches racing a revoke: the session stays revoked', async (t) => {
      requireAtomic(t)
      const { store, clock } = ctx()
      const record = makeRecord(clock)
      await store.create(record)
      const touch = (i: number) =>
        store.compareAndSet(bumped(record, { lastSeenAt: record.lastSeenAt + i }), 1)
      await Promise.all([...times(25, touch), store.delete(record.id), ...times(25, touch)])
      expect(await store.get(record.id)).toBeNull()
      expect(await store.listUser(record.userId)).toEqual([])
    })

    it('concurrent updates of one version: exactly one wins, none is lost silently', async (t) => {
      requireAtomic(t)
      const { store, clock } = ctx()
      const record = makeRecord(clock)
      await store.create(record)
      const results = await Promise.all(
        times(20, (i) => store.compareAndSet(bumped(record, { lastSeenAt: i }), 1)),
      )
      expect(results.filter(Boolean)).toHaveLength(1)
      const winner = results.indexOf(true)
      expect(await store.get(record.id)).toEqual(bumped(record, { lastSeenAt: winner }))
    })

    it('100 concurrent logins of one user leave exactly 100 index entries', async (t) => {
      requireAtomic(t)
      const { store, clock } = ctx()
      const userId = freshUserId()
      const records = times(100, () => makeRecord(clock, { userId }))
      await Promise.all(records.map((record) => store.create(record)))
      expect(await store.listUser(userId)).toHaveLength(100)
    })

    it('revoking a parent while a remote links to it leaves no live linked session', async (t) => {
      requireAtomic(t)
      const { store, clock } = ctx()
      for (let round = 0; round < 20; round++) {
        const host = makeRecord(clock)
        await store.create(host)
        const child = makeRecord(clock, { userId: host.userId, parentId: host.id })
        // Both orders: a revoke that lands first must make the create refuse (the race the
        // engine has between reading the parent and creating the child).
        const [linked] =
          round % 2 === 0
            ? await Promise.all([store.create(child), store.delete(host.id)])
            : (await Promise.all([store.delete(host.id), store.create(child)])).reverse()
        expect(['created', 'parent-missing']).toContain(linked)
        expect(await store.get(child.id)).toBeNull()
        expect(await store.getWithParent(child.id)).toBeNull()
      }
    })
  })
}
