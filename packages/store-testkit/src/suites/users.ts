import { describe, expect, it } from 'vitest'
import { freshUserId, makeRecord, type StoreTestContext } from '../context.js'

const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id)

export function userIndexTests(ctx: () => StoreTestContext): void {
  describe('per-user index', () => {
    it("lists a user's host records only: not linked ones, not other users'", async () => {
      const { store, clock } = ctx()
      const userId = freshUserId()
      const [a, b] = [makeRecord(clock, { userId }), makeRecord(clock, { userId })]
      const child = makeRecord(clock, { userId, parentId: a.id })
      const stranger = makeRecord(clock)
      for (const record of [a, b, child, stranger]) await store.create(record)
      expect((await store.listUser(userId)).sort(byId)).toEqual([a, b].sort(byId))
      expect(await store.listUser(freshUserId())).toEqual([])
    })

    it("deletes all of a user's sessions but one, with their children", async () => {
      const { store, clock } = ctx()
      const userId = freshUserId()
      const keep = makeRecord(clock, { userId })
      const drop = makeRecord(clock, { userId })
      const dropChild = makeRecord(clock, { userId, parentId: drop.id })
      const keepChild = makeRecord(clock, { userId, parentId: keep.id })
      for (const record of [keep, drop, dropChild, keepChild]) await store.create(record)
      expect((await store.deleteUser(userId, keep.id)).sort()).toEqual(
        [drop.id, dropChild.id].sort(),
      )
      expect(await store.listUser(userId)).toEqual([keep])
      expect(await store.get(keepChild.id)).toEqual(keepChild)
    })

    it("deletes all of a user's sessions, and only that user's", async () => {
      const { store, clock } = ctx()
      const userId = freshUserId()
      const mine = [makeRecord(clock, { userId }), makeRecord(clock, { userId })]
      const other = makeRecord(clock)
      for (const record of [...mine, other]) await store.create(record)
      expect(await store.deleteUser(userId)).toHaveLength(2)
      expect(await store.listUser(userId)).toEqual([])
      expect(await store.get(other.id)).toEqual(other)
    })
  })
}
