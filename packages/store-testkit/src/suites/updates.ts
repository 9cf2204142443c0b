import { describe, expect, it } from 'vitest'
import { bumped, makeRecord, type StoreTestContext, sessionIdFor } from '../context.js'

export function updateTests(ctx: () => StoreTestContext): void {
  describe('compare-and-set on version', () => {
    it('replaces the record when the version matches', async () => {
      const { store, clock } = ctx()
      const record = makeRecord(clock)
      await store.create(record)
      const next = bumped(record, { lastSeenAt: record.lastSeenAt + 1000 })
      expect(await store.compareAndSet(next, 1)).toBe(true)
      expect(await store.get(record.id)).toEqual(next)
    })

    it('refuses a stale version and keeps the newer record', async () => {
      const { store, clock } = ctx()
      const record = makeRecord(clock)
      await store.create(record)
      const first = bumped(record, { rememberMe: true })
      await store.compareAndSet(first, 1)
      expect(await store.compareAndSet(bumped(record, { lastSeenAt: 5 }), 1)).toBe(false)
      expect(await store.get(record.id)).toEqual(first)
    })

    it('never creates a missing record', async () => {
      const { store, clock } = ctx()
      const record = makeRecord(clock)
      expect(await store.compareAndSet(bumped(record), 1)).toBe(false)
      expect(await store.get(record.id)).toBeNull()
    })

    it('never resurrects a deleted record', async () => {
      const { store, clock } = ctx()
      const record = makeRecord(clock)
      await store.create(record)
      await store.delete(record.id)
      expect(await store.compareAndSet(bumped(record), 1)).toBe(false)
      expect(await store.get(record.id)).toBeNull()
    })
  })

  describe('delete', () => {
    it('deletes a host record with its linked children and returns every id', async () => {
      const { store, clock } = ctx()
      const host = makeRecord(clock)
      const a = makeRecord(clock, { userId: host.userId, parentId: host.id })
      const b = makeRecord(clock, {
        userId: host.userId,
        parentId: host.id,
        audience: 'https://b.example',
      })
      for (const record of [host, a, b]) await store.create(record)
      expect((await store.delete(host.id)).sort()).toEqual([host.id, a.id, b.id].sort())
      expect(await Promise.all([host.id, a.id, b.id].map((id) => store.get(id)))).toEqual([
        null,
        null,
        null,
      ])
      expect(await store.listUser(host.userId)).toEqual([])
    })

    it('deletes a linked record alone and unhooks it from its parent', async () => {
      const { store, clock } = ctx()
      const host = makeRecord(clock)
      const child = makeRecord(clock, { userId: host.userId, parentId: host.id })
      await store.create(host)
      await store.create(child)
      expect(await store.delete(child.id)).toEqual([child.id])
      expect(await store.get(host.id)).toEqual(host)
      // The child left its parent's index: deleting the parent now deletes it alone.
      expect(await store.delete(host.id)).toEqual([host.id])
    })

    it('returns nothing for an unknown id', async () => {
      expect(await ctx().store.delete(sessionIdFor('nobody'))).toEqual([])
    })
  })
}
