import { describe, expect, it } from 'vitest'
import { isShareError } from '../errors.js'
import { createMemoryStore } from '../memory/memory-store.js'
import type { SessionStore } from './store.js'
import { harness, MINUTE } from './test-helpers.js'

/** Listing, revocation and the per-user limit, each rule with the event it reports. */

const revocations = (h: Awaited<ReturnType<typeof harness>>) =>
  h.events.filter((event) => event.type === 'session.revoked')

describe('user ids', () => {
  it.each([
    ['an empty id', ''],
    ['a 513-character id', 'u'.repeat(513)],
    ['a number', 42],
  ])('refuses %s with a message', async (_name, userId) => {
    const h = await harness()
    const error = await h.engine.revokeAll(userId as string).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(isShareError(error) && error.code).toBe('ERR_ARGUMENT_INVALID')
    expect(isShareError(error) && error.detail).toBe(
      'userId must be a string of 1 to 512 characters',
    )
  })

  it('takes a 512-character id', async () => {
    const h = await harness()
    const userId = 'u'.repeat(512)
    await h.engine.create({ userId })
    expect(await h.engine.list(userId)).toHaveLength(1)
  })
})

describe('revoking', () => {
  it('ends one device by handle and reports it; a bad, foreign or unknown handle ends nothing', async () => {
    const h = await harness()
    const mine = await h.engine.create({ userId: 'alice' })
    const theirs = await h.engine.create({ userId: 'bob' })
    for (const handle of ['', 42, theirs.session.handle, 'no-such-handle']) {
      expect(await h.engine.revoke('alice', handle as string)).toBe(false)
    }
    expect(revocations(h)).toEqual([])
    expect(await h.engine.list('bob')).toHaveLength(1)
    expect(await h.engine.revoke('alice', mine.session.handle)).toBe(true)
    expect(revocations(h)).toEqual([
      { type: 'session.revoked', at: h.clock.now(), userId: 'alice', reason: 'revoke', count: 1 },
    ])
    expect(await h.engine.list('alice')).toEqual([])
  })

  it('names each kind of revocation in its event', async () => {
    const h = await harness()
    const a = await h.engine.create({ userId: 'alice' })
    await h.engine.create({ userId: 'alice' })
    expect(await h.engine.revokeOthers(a.session)).toBe(1)
    const b = await h.engine.create({ userId: 'alice' })
    expect(await h.engine.logout(b.session)).toBe(1)
    const c = await h.engine.create({ userId: 'alice' })
    expect(await h.engine.logout(c.session, { everywhere: true })).toBe(1)
    expect(revocations(h).map((event) => [event.reason, event.count])).toEqual([
      ['revoke-others', 1],
      ['logout', 1],
      ['logout-everywhere', 1],
    ])
  })
})

describe('revoking all but one handle (an operator at a terminal)', () => {
  it("keeps that session and ends the user's others, with their linked ones, in one write", async () => {
    const h = await harness()
    const keep = await h.engine.create({ userId: 'alice' })
    const other = await h.engine.create({ userId: 'alice' })
    await h.engine.link({ hostSessionId: other.session.id, audience: 'https://app.example.com' })
    await h.engine.create({ userId: 'bob' })
    const writes = h.calls.writes
    expect(await h.engine.revokeAllExcept('alice', keep.session.handle)).toBe(2)
    expect(h.calls.writes - writes).toBe(1)
    expect((await h.engine.list('alice')).map((s) => s.handle)).toEqual([keep.session.handle])
    expect(await h.engine.list('bob')).toHaveLength(1)
    expect(revocations(h).at(-1)).toEqual({
      type: 'session.revoked',
      at: h.clock.now(),
      userId: 'alice',
      reason: 'revoke-others',
      count: 2,
    })
  })

  it('revokes nothing and answers null for a handle the user has not (bad, foreign, unknown, expired)', async () => {
    const h = await harness()
    await h.engine.create({ userId: 'alice' })
    const theirs = await h.engine.create({ userId: 'bob' })
    for (const handle of ['', 42, theirs.session.handle, 'no-such-handle']) {
      expect(await h.engine.revokeAllExcept('alice', handle as string)).toBeNull()
    }
    expect(await h.engine.list('alice')).toHaveLength(1)
    const old = await h.engine.create({ userId: 'carol' })
    h.clock.advance(365 * 24 * 60 * MINUTE)
    await h.engine.create({ userId: 'carol' })
    expect(await h.engine.revokeAllExcept('carol', old.session.handle)).toBeNull()
    expect(revocations(h)).toEqual([])
    expect(await h.engine.list('carol')).toHaveLength(1)
  })
})

describe('listing', () => {
  it("lists only the user's live sessions, most recently seen first, marking the current one", async () => {
    const h = await harness({ idleTimeoutSec: 600, touchIntervalSec: 60 })
    const old = await h.engine.create({ userId: 'alice' })
    h.clock.advance(MINUTE)
    const recent = await h.engine.create({ userId: 'alice' })
    await h.engine.create({ userId: 'bob' })
    const listed = await h.engine.list('alice', recent.session)
    expect(listed.map((s) => [s.handle, s.current])).toEqual([
      [recent.session.handle, true],
      [old.session.handle, false],
    ])
    h.clock.advance(9.5 * MINUTE)
    expect((await h.engine.list('alice')).map((s) => s.handle)).toEqual([recent.session.handle])
  })
})

describe('the per-user limit', () => {
  it('ends the oldest sessions past the limit, never the new one, and reports it', async () => {
    const h = await harness({ maxSessionsPerUser: 2 })
    const first = await h.engine.create({ userId: 'alice' })
    h.clock.advance(1000)
    const second = await h.engine.create({ userId: 'alice' })
    h.clock.advance(1000)
    expect(revocations(h)).toEqual([])
    const third = await h.engine.create({ userId: 'alice' })
    const left = (await h.engine.list('alice')).map((s) => s.handle).sort()
    expect(left).toEqual([second.session.handle, third.session.handle].sort())
    expect(left).not.toContain(first.session.handle)
    expect(revocations(h)).toEqual([
      {
        type: 'session.revoked',
        at: h.clock.now(),
        userId: 'alice',
        reason: 'session-limit',
        count: 1,
      },
    ])
  })
})

describe('sweeping', () => {
  it("passes onProgress to the store's sweep, and nothing when there is none", async () => {
    const memory = createMemoryStore()
    const seen: unknown[][] = []
    const store: SessionStore = {
      ...memory,
      sweep: (now, ...rest) => {
        seen.push(rest)
        return memory.sweep(now)
      },
    }
    const h = await harness({ store })
    const onProgress = () => {}
    await h.engine.sweep({ onProgress })
    await h.engine.sweep()
    expect(seen).toEqual([[onProgress], []])
  })

  it('reports what it scanned, removed and kept, in its result and its event', async () => {
    const h = await harness()
    const old = await h.engine.create({ userId: 'alice' })
    await h.engine.link({ hostSessionId: old.session.id, audience: 'https://app.example.com' })
    h.clock.advance(365 * 24 * 60 * MINUTE)
    await h.engine.create({ userId: 'bob' })
    const result = await h.engine.sweep()
    expect(result).toEqual({ scanned: 3, removed: 2, kept: 1 })
    expect(h.events.filter((event) => event.type === 'store.swept')).toEqual([
      { type: 'store.swept', at: h.clock.now(), scanned: 3, removed: 2, kept: 1 },
    ])
  })
})
