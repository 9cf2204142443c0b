/**
 * @share/store-testkit: the conformance suite for Share session stores.
 * Call {@link testSessionStore} in a vitest file with a factory for your
 * store; every capability the engine relies on gets its own `describe`.
 *
 * @module
 */
import { createSessionEngine, generateSyncKey, isShareError } from '@share/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  createClock,
  makeRecord,
  randomText,
  type StoreSuiteOptions,
  type StoreTestContext,
} from './context.js'
import { atomicityTests } from './suites/atomicity.js'
import { expiryTests } from './suites/expiry.js'
import { hostileKeyTests } from './suites/hostile.js'
import { nonceTests } from './suites/nonces.js'
import { recordTests } from './suites/records.js'
import { updateTests } from './suites/updates.js'
import { userIndexTests } from './suites/users.js'

export type { StoreSuiteOptions, StoreTestContext, TestClock } from './context.js'
export { bumped, createClock, freshUserId, makeRecord, sessionIdFor } from './context.js'
export { HOSTILE } from './suites/hostile.js'

/**
 * Registers the whole conformance suite for one store.
 *
 * @example
 * ```ts
 * import { createMemoryStore } from '@share/core'
 * import { testSessionStore } from '@share/store-testkit'
 * testSessionStore({ name: 'memory', time: 'virtual', create: ({ now }) => createMemoryStore({ now }) })
 * ```
 */
export function testSessionStore(options: StoreSuiteOptions): void {
  describe(`SessionStore conformance: ${options.name}`, () => {
    let context: StoreTestContext | undefined
    const ctx = (): StoreTestContext => {
      if (!context) throw new Error('the store was not created')
      return context
    }

    beforeEach(async () => {
      const clock = createClock(options.time)
      const prefix = `t${randomText(8)}:`
      const store = await options.create({ prefix, now: clock.now })
      context = { store, prefix, clock, time: options.time }
    })

    afterEach(async () => {
      if (!context) return
      const { store, prefix } = context
      context = undefined
      if (options.cleanup) await options.cleanup(store, prefix)
      else await store.dispose?.()
    })

    it('names itself and declares its capabilities', () => {
      const { store } = ctx()
      expect(store.name).toMatch(/\S/)
      expect(typeof store.capabilities.atomic).toBe('boolean')
      expect(typeof store.capabilities.nativeTtl).toBe('boolean')
    })

    recordTests(ctx)
    updateTests(ctx)
    userIndexTests(ctx)
    expiryTests(ctx)
    nonceTests(ctx)
    hostileKeyTests(ctx)
    isolationTests(options, ctx)
    atomicOrRefused(ctx)
  })
}

function isolationTests(options: StoreSuiteOptions, ctx: () => StoreTestContext): void {
  it('keeps stores with different prefixes apart (prefix with * and [)', async () => {
    const { store, clock, prefix } = ctx()
    const otherPrefix = `${prefix}*[x]:`
    const other = await options.create({ prefix: otherPrefix, now: clock.now })
    try {
      const record = makeRecord(clock)
      await store.create(record)
      expect(await other.get(record.id)).toBeNull()
      expect(await other.listUser(record.userId)).toEqual([])
      expect(await other.setIfAbsent('shared-key', 60)).toBe(true)
      expect(await store.hasKey('shared-key')).toBe(false)
      expect(await store.setIfAbsent('shared-key', 60)).toBe(true)
    } finally {
      if (options.cleanup) await options.cleanup(other, otherPrefix)
      else await other.dispose?.()
    }
  })
}

/**
 * Atomic stores must keep the concurrency promises. A non-atomic store
 * skips them visibly and must be refused by the engine unless the app opts
 * in: a silent skip would hide a security downgrade.
 */
function atomicOrRefused(ctx: () => StoreTestContext): void {
  describe('atomicity', () => {
    atomicityTests(ctx)

    it('a non-atomic store is refused by the engine unless allowNonAtomicStore is set', async () => {
      const { store } = ctx()
      const syncKey = generateSyncKey()
      let refused: string | null = null
      try {
        createSessionEngine({ syncKey, store })
      } catch (error) {
        refused = isShareError(error) ? error.code : String(error)
      }
      expect(refused).toBe(store.capabilities.atomic ? null : 'ERR_CONFIG_INVALID')
      expect(() =>
        createSessionEngine({ syncKey, store, session: { allowNonAtomicStore: true } }),
      ).not.toThrow()
    })
  })
}
