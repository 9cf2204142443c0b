import type { SweepResult } from '@share/core/store'
import { describe, expect, it } from 'vitest'
import { bumped, makeRecord, type StoreTestContext } from '../context.js'

/**
 * Short enough to wait out in real time, long enough not to expire while being written (even
 * through a REST shim on a loaded machine).
 */
const SHORT_MS = 800
const WAIT_MS = 1600

export function expiryTests(ctx: () => StoreTestContext): void {
  describe('expiry (native TTL or sweep)', () => {
    /** Lets time pass, then sweeps where the store has no TTL of its own. */
    async function pass(ms: number): Promise<SweepResult | null> {
      const { store, clock } = ctx()
      await clock.advance(ms)
      return store.capabilities.nativeTtl ? null : store.sweep(clock.now())
    }

    it('a record past its idle expiry is gone, with its index entry', async () => {
      const { store, clock } = ctx()
      const record = makeRecord(clock, { idleExpiresAt: clock.now() + SHORT_MS })
      await store.create(record)
      await pass(WAIT_MS)
      expect(await store.get(record.id)).toBeNull()
      expect(await store.listUser(record.userId)).toEqual([])
    })

    it('a record past its absolute expiry is gone even if its idle expiry is later', async () => {
      const { store, clock } = ctx()
      const now = clock.now()
      const record = makeRecord(clock, {
        absoluteExpiresAt: now + SHORT_MS,
        idleExpiresAt: now + 60_000,
      })
      await store.create(record)
      await pass(WAIT_MS)
      expect(await store.get(record.id)).toBeNull()
    })

    it('compare-and-set moves the expiry: a touched record outlives its first expiry', async () => {
      const { store, clock } = ctx()
      const record = makeRecord(clock, { idleExpiresAt: clock.now() + SHORT_MS })
      await store.create(record)
      await store.compareAndSet(bumped(record, { idleExpiresAt: clock.now() + 60_000 }), 1)
      await pass(WAIT_MS)
      expect((await store.get(record.id))?.version).toBe(2)
    })

    it('removes what expired and nothing else', async () => {
      const { store, clock } = ctx()
      const live = makeRecord(clock)
      const liveChild = makeRecord(clock, { userId: live.userId, parentId: live.id })
      const dead = makeRecord(clock, { userId: live.userId, idleExpiresAt: clock.now() + SHORT_MS })
      for (const record of [live, liveChild, dead]) await store.create(record)
      const swept = await pass(WAIT_MS)
      if (swept !== null) expect(swept).toEqual({ scanned: 3, removed: 1, kept: 2 })
      expect(
        await Promise.all([live.id, liveChild.id, dead.id].map((id) => store.get(id))),
      ).toEqual([live, liveChild, null])
      expect(await store.listUser(live.userId)).toEqual([live])
    })

    it('sweep on a store with nothing expired removes nothing and says what it kept', async () => {
      const { store, clock } = ctx()
      const record = makeRecord(clock)
      const child = makeRecord(clock, { userId: record.userId, parentId: record.id })
      await store.create(record)
      await store.create(child)
      const swept = await store.sweep(clock.now())
      expect(swept.removed).toBe(0)
      expect(swept.kept).toBe(swept.scanned)
      // Without native TTL both records are looked at; with it a store may look at nothing.
      expect(store.capabilities.nativeTtl ? [0, 2] : [2]).toContain(swept.scanned)
      expect(await store.get(record.id)).toEqual(record)
    })

    it('counts a parent and its linked records as removed together', async () => {
      const { store, clock } = ctx()
      const parent = makeRecord(clock, { idleExpiresAt: clock.now() + SHORT_MS })
      const child = makeRecord(clock, { userId: parent.userId, parentId: parent.id })
      await store.create(parent)
      await store.create(child)
      const swept = await pass(WAIT_MS)
      // On native TTL the child keeps its own TTL (the engine refuses it without its parent).
      if (swept === null) return
      expect(swept).toEqual({ scanned: 2, removed: 2, kept: 0 })
      expect(await store.get(child.id)).toBeNull()
    })
  })
}
