import { describe, expect, it } from 'vitest'
import { makeRecord, randomText, type StoreTestContext } from '../context.js'

export function nonceTests(ctx: () => StoreTestContext): void {
  describe('set-if-absent nonces with TTL', () => {
    it('is true for the first caller and false after', async () => {
      const { store } = ctx()
      const key = `token:${randomText(22)}`
      expect(await store.setIfAbsent(key, 60)).toBe(true)
      expect(await store.setIfAbsent(key, 60)).toBe(false)
      expect(await store.setIfAbsent(`token:${randomText(22)}`, 60)).toBe(true)
    })

    it('hasKey reads a key without setting it: false before, true after setIfAbsent', async () => {
      const { store } = ctx()
      const key = `token:${randomText(22)}`
      expect(await store.hasKey(key)).toBe(false)
      expect(await store.hasKey(key)).toBe(false)
      expect(await store.setIfAbsent(key, 60)).toBe(true)
      expect(await store.hasKey(key)).toBe(true)
      expect(await store.hasKey(`${key}x`)).toBe(false)
    })

    it('hasKey is false once the TTL passed', async () => {
      const { store, clock } = ctx()
      const key = `token:${randomText(22)}`
      await store.setIfAbsent(key, 1)
      await clock.advance(1600)
      expect(await store.hasKey(key)).toBe(false)
    })

    it('hasKey sees nonces, not sessions under the same text', async () => {
      const { store, clock } = ctx()
      const record = makeRecord(clock)
      await store.create(record)
      expect(await store.hasKey(record.id)).toBe(false)
    })

    it('frees the key after its TTL', async () => {
      const { store, clock } = ctx()
      const key = `token:${randomText(22)}`
      await store.setIfAbsent(key, 1)
      await clock.advance(1600)
      if (!store.capabilities.nativeTtl) await store.sweep(clock.now())
      expect(await store.setIfAbsent(key, 1)).toBe(true)
    })

    it('keeps nonces and sessions apart even under the same text', async () => {
      const { store, clock } = ctx()
      const record = makeRecord(clock)
      await store.create(record)
      expect(await store.setIfAbsent(record.id, 60)).toBe(true)
      expect(await store.get(record.id)).toEqual(record)
    })
  })
}
