import { describe, expect, it } from 'vitest'
import {
  freshUserId,
  makeRecord,
  randomText,
  type StoreTestContext,
  sessionIdFor,
} from '../context.js'

export function recordTests(ctx: () => StoreTestContext): void {
  describe('records: get, getWithParent, create', () => {
    it('returns null for an unknown id', async () => {
      const { store } = ctx()
      expect(await store.get(sessionIdFor('nobody'))).toBeNull()
      expect(await store.getWithParent(sessionIdFor('nobody'))).toBeNull()
    })

    it('round-trips a record exactly (unicode, nested user data, client)', async () => {
      const { store, clock } = ctx()
      const record = makeRecord(clock, {
        remotes: [{ audience: 'https://a.example', firstSeenAt: 1, lastSeenAt: 2 }],
      })
      expect(await store.create(record)).toBe('created')
      expect(await store.get(record.id)).toEqual(record)
    })

    it('keeps its own copy: changing the written object later changes nothing stored', async () => {
      const { store, clock } = ctx()
      const record = makeRecord(clock)
      const written = structuredClone(record)
      await store.create(written)
      ;(written.user as { name: string }).name = 'changed'
      expect(await store.get(record.id)).toEqual(record)
    })

    it('getWithParent gives a host record alone and a linked record with its parent', async () => {
      const { store, clock } = ctx()
      const host = makeRecord(clock)
      const child = makeRecord(clock, { userId: host.userId, parentId: host.id })
      await store.create(host)
      expect(await store.create(child)).toBe('created')
      expect(await store.getWithParent(host.id)).toEqual({ session: host, parent: null })
      expect(await store.getWithParent(child.id)).toEqual({ session: child, parent: host })
    })

    it('refuses an id that exists, leaving the stored record as it was', async () => {
      const { store, clock } = ctx()
      const record = makeRecord(clock)
      await store.create(record)
      expect(await store.create({ ...record, handle: randomText(22) })).toBe('exists')
      expect(await store.get(record.id)).toEqual(record)
    })

    it('refuses a linked record whose parent is missing, writing nothing', async () => {
      const { store, clock } = ctx()
      const userId = freshUserId()
      const orphan = makeRecord(clock, { userId, parentId: sessionIdFor(userId) })
      expect(await store.create(orphan)).toBe('parent-missing')
      expect(await store.get(orphan.id)).toBeNull()
    })
  })
}
