import { isShareError } from '@share/core'
import { userTag } from '@share/core/store'
import { describe, expect, it } from 'vitest'
import { makeRecord, randomText, type StoreTestContext, sessionIdFor } from '../context.js'

/** Text that breaks naive key building: separators, globs, paths, controls, braces (hash tags). */
export const HOSTILE = [
  'a:b',
  'a*',
  '*',
  'a/b',
  '../../etc/passwd',
  '..',
  'line\nbreak',
  'nul\u0000byte',
  '{tag}x',
  'x}{',
  '[a-z]?',
  '%2F',
  'sp ace',
  'ünï©ödé 🙂',
  'a'.repeat(512),
]

/** Runs `operation`; a ShareError counts as a clean refusal, anything else fails the test. */
async function refusedOr<T>(
  operation: () => Promise<T>,
): Promise<{ value: T } | { refused: string }> {
  try {
    return { value: await operation() }
  } catch (error) {
    if (isShareError(error)) return { refused: error.code }
    throw error
  }
}

export function hostileKeyTests(ctx: () => StoreTestContext): void {
  describe('hostile keys', () => {
    it.each(HOSTILE)('a user id %j round-trips and lists alone', async (userId) => {
      const { store, clock } = ctx()
      const record = makeRecord(clock, { userId: `${userId}${randomText(6)}` })
      expect(await store.create(record)).toBe('created')
      expect(await store.get(record.id)).toEqual(record)
      expect(await store.listUser(record.userId)).toEqual([record])
    })

    it.each(HOSTILE)('a session id ending in %j round-trips without colliding', async (suffix) => {
      const { store, clock } = ctx()
      const userId = `user-${randomText(8)}`
      const record = makeRecord(clock, { userId, id: sessionIdFor(userId, suffix) })
      const lookalike = sessionIdFor(userId, suffix.replace(/[:/*.]/g, '_'))
      expect(await store.create(record)).toBe('created')
      expect(await store.get(record.id)).toEqual(record)
      if (lookalike !== record.id) expect(await store.get(lookalike)).toBeNull()
    })

    it.each(HOSTILE)('a nonce key %j is its own key', async (key) => {
      const { store } = ctx()
      const unique = `${key}${randomText(6)}`
      expect(await store.setIfAbsent(unique, 60)).toBe(true)
      expect(await store.setIfAbsent(`${unique}x`, 60)).toBe(true)
      expect(await store.setIfAbsent(unique, 60)).toBe(false)
    })

    it('a 10 KB id is stored and found, or refused with a ShareError: never confused', async () => {
      const { store, clock } = ctx()
      const userId = `user-${randomText(8)}`
      const record = makeRecord(clock, { userId, id: userTag(userId) + 'x'.repeat(10_240) })
      const created = await refusedOr(() => store.create(record))
      const found = await refusedOr(() => store.get(record.id))
      if ('value' in created) expect(found).toEqual({ value: record })
      else expect(found).not.toEqual({ value: expect.anything() })
      expect(await refusedOr(() => store.get(`${record.id}y`))).not.toEqual({
        value: expect.anything(),
      })
    })

    it('a user id that looks like a pattern lists only its own sessions', async () => {
      const { store, clock } = ctx()
      const other = makeRecord(clock)
      await store.create(other)
      for (const pattern of ['*', '?', '[a-z]*', `${other.userId.slice(0, 4)}*`]) {
        expect(await store.listUser(pattern)).toEqual([])
      }
    })
  })
}
