import { describe, expect, it } from 'vitest'
import { isShareError } from '../errors.js'
import { createMemoryStore } from '../memory/memory-store.js'
import type { SessionRecord } from './record.js'
import type { SessionStore } from './store.js'
import { harness, MINUTE } from './test-helpers.js'

/**
 * The engine against a store that answers what a real one may answer under
 * load or races: an id that already exists, a parent revoked between the
 * read and the create, a compare-and-set lost to another writer.
 */

async function failure(run: () => Promise<unknown>) {
  const error = await run().then(
    () => undefined,
    (e: unknown) => e,
  )
  if (!isShareError(error)) throw new Error(`expected a ShareError, got ${String(error)}`)
  return error
}

/** A memory store with some methods replaced; the rest answer as usual. */
function storeWith(
  replace: (inner: SessionStore) => Partial<SessionStore>,
  now: () => number,
): SessionStore {
  const inner = createMemoryStore({ now })
  const overrides = replace(inner)
  return new Proxy(inner, {
    get(target, property, receiver) {
      if (property in overrides) return overrides[property as keyof SessionStore]
      return Reflect.get(target, property, receiver)
    },
  })
}

/** The store's own clock stands still: it keeps records live, so only the engine's checks end them. */
const now = () => Date.UTC(2030, 0, 1)

describe('creating a session id the store already holds', () => {
  it('retries with a fresh id and hands out only the one the store created', async () => {
    const refused: string[] = []
    const store = storeWith(
      (inner) => ({
        async create(record) {
          if (refused.length < 2) {
            refused.push(record.id)
            return 'exists'
          }
          return inner.create(record)
        },
      }),
      now,
    )
    const h = await harness({ store })
    const { session, cookie } = await h.engine.create({ userId: 'alice' })
    expect(refused).toHaveLength(2)
    expect(refused).not.toContain(session.id)
    const resolved = await h.engine.resolve(cookie)
    expect(resolved.ok && resolved.session.id).toBe(session.id)
  })

  it('gives up after three ids with ERR_STORE_UNAVAILABLE, creating nothing', async () => {
    let tries = 0
    const store = storeWith(
      () => ({
        async create() {
          tries++
          return 'exists'
        },
      }),
      now,
    )
    const h = await harness({ store })
    const error = await failure(() => h.engine.create({ userId: 'alice' }))
    expect(error.code).toBe('ERR_STORE_UNAVAILABLE')
    expect(error.detail).toBe('could not create a unique session id')
    expect(tries).toBe(3)
    expect(await h.engine.list('alice')).toEqual([])
  })
})

describe('linking while the host session is revoked', () => {
  it('refuses with ERR_SESSION_NOT_FOUND when the store finds the parent gone', async () => {
    let host: string | null = null
    const store = storeWith(
      (inner) => ({
        async create(record) {
          // The revocation lands between the engine's read of the parent and this create.
          if (record.kind === 'linked' && host !== null) await inner.delete(host)
          return inner.create(record)
        },
      }),
      now,
    )
    const h = await harness({ store })
    const { session } = await h.engine.create({ userId: 'alice' })
    host = session.id
    const error = await failure(() =>
      h.engine.link({ hostSessionId: session.id, audience: 'https://app.example.com' }),
    )
    expect(error.code).toBe('ERR_SESSION_NOT_FOUND')
    expect(await store.listUser('alice')).toEqual([])
  })
})

describe('updates that lose a compare-and-set', () => {
  it('re-read the session and apply the change on top of the other write', async () => {
    let raced = false
    const store = storeWith(
      (inner) => ({
        async compareAndSet(record, expected) {
          if (!raced) {
            raced = true
            // Another writer (a touch from a remote) wins this round.
            const current = (await inner.get(record.id)) as SessionRecord
            const other = {
              ...current,
              remotes: [{ audience: 'https://b.example', firstSeenAt: 1, lastSeenAt: 1 }],
              version: current.version + 1,
            }
            await inner.compareAndSet(other, current.version)
            return false
          }
          return inner.compareAndSet(record, expected)
        },
      }),
      now,
    )
    const h = await harness({ store })
    const { cookie } = await h.engine.create({ userId: 'alice', user: { name: 'A' } })
    expect(await h.engine.updateUser('alice', { name: 'B' })).toBe(1)
    const resolved = await h.engine.resolve(cookie)
    expect(resolved.ok && resolved.user).toEqual({ name: 'B' })
    expect(resolved.ok && resolved.host.remotes.map((r) => r.audience)).toEqual([
      'https://b.example',
    ])
  })

  it('change nothing, and count nothing, when the session ended in between', async () => {
    const store = storeWith(
      (inner) => ({
        async compareAndSet(record) {
          // A revocation wins the race: the record is gone when the engine re-reads it.
          await inner.delete(record.id)
          return false
        },
      }),
      now,
    )
    const h = await harness({ store })
    const { cookie } = await h.engine.create({ userId: 'alice', user: { name: 'A' } })
    expect(await h.engine.updateUser('alice', { name: 'B' })).toBe(0)
    expect((await h.engine.resolve(cookie)).ok).toBe(false)
    expect(await store.listUser('alice')).toEqual([])
  })

  it('skip a session that expired while the update was being retried', async () => {
    let advance = (_ms: number) => {}
    const store = storeWith(
      () => ({
        async compareAndSet() {
          advance(31 * MINUTE)
          return false
        },
      }),
      now,
    )
    const h = await harness({ store, idleTimeoutSec: 30 * 60 })
    advance = h.clock.advance
    await h.engine.create({ userId: 'alice', user: { name: 'A' } })
    expect(await h.engine.updateUser('alice', { name: 'B' })).toBe(0)
  })

  it('give up with ERR_STORE_UNAVAILABLE under endless contention, after sixteen tries', async () => {
    let tries = 0
    const store = storeWith(
      () => ({
        async compareAndSet() {
          tries++
          return false
        },
      }),
      now,
    )
    const h = await harness({ store })
    await h.engine.create({ userId: 'alice' })
    const started = Date.now()
    const error = await failure(() => h.engine.updateUser('alice', { name: 'B' }))
    expect(error.code).toBe('ERR_STORE_UNAVAILABLE')
    expect(error.detail).toBe('session update kept conflicting')
    expect(tries).toBe(16)
    // The back-off is a few milliseconds per round, not seconds.
    expect(Date.now() - started).toBeLessThan(2_000)
  })

  it('never cost a remote its link: the hand-off succeeds when the bookkeeping write cannot land', async () => {
    const store = storeWith(
      () => ({
        async compareAndSet() {
          return false
        },
      }),
      now,
    )
    const h = await harness({ store })
    const { session } = await h.engine.create({ userId: 'alice' })
    const audience = 'https://app.example.com'
    const linked = await h.engine.link({ hostSessionId: session.id, audience })
    const resolved = await h.engine.resolve(linked.cookie, { audience })
    expect(resolved.ok && resolved.session.id).toBe(linked.session.id)
  })
})

describe('the per-user limit over a store that lists in its own order', () => {
  // A Redis set, for one, answers in no particular order.
  const newestFirst = (inner: SessionStore): Partial<SessionStore> => ({
    async listUser(userId) {
      return (await inner.listUser(userId)).reverse()
    },
  })

  it('still ends the oldest session, by creation time', async () => {
    const store = storeWith(newestFirst, now)
    const h = await harness({ store, maxSessionsPerUser: 2 })
    const oldest = await h.engine.create({ userId: 'alice' })
    h.clock.advance(MINUTE)
    const middle = await h.engine.create({ userId: 'alice' })
    h.clock.advance(MINUTE)
    const newest = await h.engine.create({ userId: 'alice' })
    expect((await h.engine.resolve(oldest.cookie)).ok).toBe(false)
    expect((await h.engine.resolve(middle.cookie)).ok).toBe(true)
    expect((await h.engine.resolve(newest.cookie)).ok).toBe(true)
  })

  it('never ends the session just signed in, even when it sorts first', async () => {
    // All three in the same millisecond: creation time cannot tell them apart.
    const store = storeWith(newestFirst, now)
    const h = await harness({ store, maxSessionsPerUser: 2 })
    await h.engine.create({ userId: 'alice' })
    await h.engine.create({ userId: 'alice' })
    const newest = await h.engine.create({ userId: 'alice' })
    expect((await h.engine.resolve(newest.cookie)).ok).toBe(true)
    expect(await h.engine.list('alice')).toHaveLength(2)
  })
})

describe('listing and revoking over a store that answers more than it should', () => {
  it('lists and revokes only live sessions of that user, whatever the store lists', async () => {
    let extra: SessionRecord[] = []
    const store = storeWith(
      (inner) => ({
        async listUser(userId) {
          // A store between sweeps, or a corrupt index: expired records and another user's.
          return [...(await inner.listUser(userId)), ...extra]
        },
      }),
      now,
    )
    const h = await harness({ store, idleTimeoutSec: 30 * 60 })
    const old = await h.engine.create({ userId: 'alice' })
    h.clock.advance(31 * MINUTE)
    const bob = await h.engine.create({ userId: 'bob' })
    const alice = await h.engine.create({ userId: 'alice' })
    extra = [bob.session, old.session]
    const listed = await h.engine.list('alice')
    expect(listed.map((s) => s.handle)).toEqual([alice.session.handle])
    expect(await h.engine.revoke('alice', bob.session.handle)).toBe(false)
    expect(await h.engine.revokeAllExcept('alice', bob.session.handle)).toBeNull()
    expect(await h.engine.revokeAllExcept('alice', old.session.handle)).toBeNull()
    expect((await h.engine.resolve(bob.cookie)).ok).toBe(true)
  })

  it('reports a revocation only when the store removed something', async () => {
    const store = storeWith(
      () => ({
        // The session went a moment ago (another tab's logout): nothing left to delete.
        async delete() {
          return []
        },
      }),
      now,
    )
    const h = await harness({ store })
    const { session } = await h.engine.create({ userId: 'alice' })
    expect(await h.engine.revoke('alice', session.handle)).toBe(false)
    expect(await h.engine.revokeAll('nobody')).toBe(0)
    expect(h.events.filter((event) => event.type === 'session.revoked')).toEqual([])
  })
})

describe('resolving over a store whose answer does not fit', () => {
  const audience = 'https://app.example.com'

  it('refuses a linked session whose parent is missing or is another session', async () => {
    let parent: 'none' | 'other' | 'real' = 'real'
    let other: SessionRecord | null = null
    const store = storeWith(
      (inner) => ({
        async getWithParent(id) {
          const found = await inner.getWithParent(id)
          if (found === null || parent === 'real') return found
          return { session: found.session, parent: parent === 'none' ? null : other }
        },
      }),
      now,
    )
    const h = await harness({ store })
    const host = await h.engine.create({ userId: 'alice' })
    other = (await h.engine.create({ userId: 'alice' })).session
    const linked = await h.engine.link({ hostSessionId: host.session.id, audience })
    expect((await h.engine.resolve(linked.cookie, { audience })).ok).toBe(true)
    for (const answer of ['none', 'other'] as const) {
      parent = answer
      expect(await h.engine.resolve(linked.cookie, { audience }), answer).toEqual({
        ok: false,
        reason: 'parent-gone',
      })
    }
  })

  it('refuses a live linked session whose host session has idled out', async () => {
    // The store's clock stands still, so it still hands back the expired host record.
    const h = await harness({ store: storeWith(() => ({}), now), idleTimeoutSec: 30 * 60 })
    const host = await h.engine.create({ userId: 'alice' })
    const linked = await h.engine.link({ hostSessionId: host.session.id, audience })
    h.clock.advance(31 * MINUTE)
    expect(await h.engine.resolve(linked.cookie, { audience })).toEqual({
      ok: false,
      reason: 'expired',
    })
  })
})

describe('cookie values', () => {
  it('refuse a value whose separator is not a dot, though id and MAC are right', async () => {
    const h = await harness()
    const { cookie } = await h.engine.create({ userId: 'alice' })
    const dot = cookie.lastIndexOf('.')
    for (const separator of ['_', '-', 'a']) {
      const value = `${cookie.slice(0, dot)}${separator}${cookie.slice(dot + 1)}`
      expect(await h.engine.resolve(value), separator).toEqual({ ok: false, reason: 'bad-cookie' })
    }
  })

  it('are re-signed only when an older key signed them, never when read from the cache', async () => {
    const h = await harness()
    const { cookie } = await h.engine.create({ userId: 'alice' })
    for (let i = 0; i < 2; i++) {
      const resolved = await h.engine.resolve(cookie)
      expect(resolved.ok && resolved.reissue, `read ${i + 1}`).toBeUndefined()
    }
  })
})
