import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import { isShareError } from '../errors.js'
import { createMemoryStore } from '../memory/memory-store.js'
import { consumeTokenId } from '../token/replay.js'
import { harness, MINUTE } from './test-helpers.js'

const APP_A = 'https://app-a.example.com'
const APP_B = 'https://app-b.example.com'

describe('create and resolve', () => {
  it('signs a user in and resolves the cookie to the session and user', async () => {
    const { engine } = await harness()
    const { session, cookie } = await engine.create({ userId: 'alice', user: { name: 'Alice' } })
    expect(cookie).toMatch(/^[A-Za-z0-9_-]{49}\.[A-Za-z0-9_-]{52}$/)
    expect(cookie.startsWith(session.id)).toBe(true)
    const result = await engine.resolve(cookie)
    expect(result).toMatchObject({ ok: true, userId: 'alice', user: { name: 'Alice' } })
  })

  it('resolves in one store read and no write between touch intervals', async () => {
    const { engine, calls, clock } = await harness()
    const { cookie } = await engine.create({ userId: 'alice' })
    Object.assign(calls, { reads: 0, writes: 0 })
    for (let i = 0; i < 10; i++) {
      clock.advance(5_000)
      expect((await engine.resolve(cookie)).ok).toBe(true)
    }
    expect(calls).toEqual({ reads: 10, writes: 0 })
    clock.advance(10_000)
    await engine.resolve(cookie)
    expect(calls).toEqual({ reads: 11, writes: 1 })
  })

  it('refuses garbage and forged cookies without calling the store', async () => {
    const { engine, calls } = await harness()
    const { cookie } = await engine.create({ userId: 'alice' })
    const forged = `${cookie.slice(0, 60)}${cookie[60] === 'A' ? 'B' : 'A'}${cookie.slice(61)}`
    const otherId = `${cookie.slice(0, 10)}${'x'.repeat(39)}${cookie.slice(49)}`
    Object.assign(calls, { reads: 0, writes: 0 })
    for (const bad of [
      forged,
      otherId,
      'garbage',
      `${cookie}x`,
      'a'.repeat(102),
      cookie.replace('.', ':'),
    ]) {
      expect(await engine.resolve(bad)).toEqual({ ok: false, reason: 'bad-cookie' })
    }
    expect(calls).toEqual({ reads: 0, writes: 0 })
  })

  it('answers no-cookie for a missing cookie, without an audit event', async () => {
    const { engine, events } = await harness()
    for (const missing of [undefined, null, '']) {
      expect(await engine.resolve(missing)).toEqual({ ok: false, reason: 'no-cookie' })
    }
    expect(events).toEqual([])
  })

  it('never throws on arbitrary cookie text', async () => {
    const { engine } = await harness()
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), async (text) => {
        const result = await engine.resolve(text)
        expect(result.ok).toBe(false)
      }),
      { numRuns: 300 },
    )
  })

  it('verifies a cookie MAC once, then trusts the cache for its validity', async () => {
    const { engine } = await harness()
    const { cookie } = await engine.create({ userId: 'alice' })
    const verify = vi.spyOn(crypto.subtle, 'verify')
    for (let i = 0; i < 5; i++) await engine.resolve(cookie)
    expect(verify).toHaveBeenCalledTimes(1)
  })

  it('stores a JSON copy of the user data and refuses data that is not JSON or too big', async () => {
    const { engine } = await harness()
    const user = { name: 'Alice', roles: ['admin'] }
    const { session } = await engine.create({ userId: 'alice', user })
    user.roles.push('changed')
    expect(session.user).toEqual({ name: 'Alice', roles: ['admin'] })
    const big = { blob: 'x'.repeat(9000) }
    for (const bad of [big, { f: 1n }] as unknown[]) {
      const error = await engine
        .create({ userId: 'alice', user: bad as never })
        .catch((e: unknown) => e)
      expect(isShareError(error) && error.code).toBe('ERR_ARGUMENT_INVALID')
    }
  })

  it.each([
    ['full', { ip: '203.0.113.7', userAgent: 'UA' }],
    ['truncated-ip', { ip: '203.0.113.0', userAgent: 'UA' }],
    ['none', null],
  ] as const)('keeps client info as %s', async (clientInfo, expected) => {
    const { engine } = await harness({ clientInfo })
    const { session } = await engine.create({
      userId: 'alice',
      client: { ip: '203.0.113.7', userAgent: 'UA' },
    })
    expect(session.client).toEqual(expected)
  })
})

describe('timeouts', () => {
  it('idles out after the idle timeout without activity', async () => {
    const { engine, clock } = await harness({ idleTimeoutSec: 1800 })
    const { cookie } = await engine.create({ userId: 'alice' })
    clock.advance(30 * MINUTE - 1)
    expect((await engine.resolve(cookie)).ok).toBe(true)
    clock.advance(30 * MINUTE)
    expect(await engine.resolve(cookie)).toEqual({ ok: false, reason: 'expired' })
  })

  it('slides the idle expiry with activity, but never past the absolute lifetime', async () => {
    const { engine, clock } = await harness({ idleTimeoutSec: 1800, absoluteLifetimeSec: 7200 })
    const { cookie } = await engine.create({ userId: 'alice' })
    for (let t = 20; t < 120; t += 20) {
      clock.advance(20 * MINUTE)
      expect((await engine.resolve(cookie)).ok, `at ${t} minutes`).toBe(true)
    }
    clock.advance(20 * MINUTE)
    expect((await engine.resolve(cookie)).ok).toBe(false)
  })

  it('writes lastSeen at most once per touch interval', async () => {
    const { engine, clock, calls, store } = await harness({ touchIntervalSec: 60 })
    const { cookie, session } = await engine.create({ userId: 'alice' })
    Object.assign(calls, { reads: 0, writes: 0 })
    clock.advance(59_000)
    const early = await engine.resolve(cookie)
    expect(early.ok && early.pending).toBeUndefined()
    clock.advance(1_000)
    const due = await engine.resolve(cookie)
    if (due.ok) await due.pending
    expect(calls.writes).toBe(1)
    // The session handed back is the one read; the write lands in the store.
    expect(due.ok && due.host.lastSeenAt).toBe(session.lastSeenAt)
    expect((await store.get(session.id))?.lastSeenAt).toBe(session.lastSeenAt + 60_000)
  })

  it('keeps a remember-me session through long inactivity, until its own lifetime', async () => {
    const { engine, clock } = await harness({ rememberMeLifetimeSec: 30 * 24 * 3600 })
    const { cookie } = await engine.create({ userId: 'alice', rememberMe: true })
    clock.advance(29 * 24 * 60 * MINUTE)
    expect((await engine.resolve(cookie)).ok).toBe(true)
    clock.advance(24 * 60 * MINUTE)
    expect((await engine.resolve(cookie)).ok).toBe(false)
  })

  it('a late touch never resurrects a revoked session', async () => {
    const { engine, clock } = await harness()
    const { cookie } = await engine.create({ userId: 'alice' })
    clock.advance(5 * MINUTE)
    const resolved = await engine.resolve(cookie)
    if (!resolved.ok || resolved.pending === undefined) throw new Error('expected a touch')
    await engine.revokeAll('alice')
    await resolved.pending
    expect((await engine.resolve(cookie)).ok).toBe(false)
  })

  it('hands the touch write back as pending, and it lands', async () => {
    const { engine, clock, store } = await harness()
    const { session, cookie } = await engine.create({ userId: 'alice' })
    clock.advance(30_000)
    const quiet = await engine.resolve(cookie)
    expect(quiet.ok && quiet.pending).toBeUndefined()
    clock.advance(60_000)
    const due = await engine.resolve(cookie)
    if (!due.ok || due.pending === undefined) throw new Error('expected a pending touch')
    await due.pending
    const stored = await store.get(session.id)
    expect(stored?.lastSeenAt).toBe(session.createdAt + 90_000)
    expect(stored?.idleExpiresAt).toBe(session.createdAt + 90_000 + 30 * MINUTE)
  })

  it('a failed touch write never rejects: the request is served, the failure is an event', async () => {
    const inner = createMemoryStore()
    const failing = new Proxy(inner, {
      get: (target, property) =>
        property === 'compareAndSet'
          ? () => Promise.reject(new Error('READONLY'))
          : Reflect.get(target, property),
    })
    const { engine, clock, events } = await harness({ store: failing })
    const { cookie } = await engine.create({ userId: 'alice' })
    clock.advance(2 * MINUTE)
    const result = await engine.resolve(cookie)
    if (!result.ok || result.pending === undefined) throw new Error('expected a pending touch')
    await expect(result.pending).resolves.toBeUndefined()
    expect(events.at(-1)).toMatchObject({ type: 'store.unavailable', operation: 'touch' })
  })
})

describe('linked sessions', () => {
  async function linked() {
    const h = await harness()
    const host = await h.engine.create({ userId: 'alice', user: { name: 'Alice' } })
    const remote = await h.engine.link({ hostSessionId: host.session.id, audience: APP_A })
    return { ...h, host, remote }
  }

  it('resolve at the remote gives the linked session, its host session and the user', async () => {
    const { engine, host, remote } = await linked()
    const result = await engine.resolve(remote.cookie, { audience: APP_A })
    expect(result).toMatchObject({ ok: true, userId: 'alice', user: { name: 'Alice' } })
    if (result.ok) expect(result.host.id).toBe(host.session.id)
  })

  it('resolves a linked session with its parent in one store round trip', async () => {
    const { engine, remote, calls } = await linked()
    Object.assign(calls, { reads: 0, writes: 0 })
    await engine.resolve(remote.cookie, { audience: APP_A })
    expect(calls).toEqual({ reads: 1, writes: 0 })
  })

  it.each([
    ['a linked cookie at the host', 'remote', undefined],
    ['a linked cookie at another remote', 'remote', APP_B],
    ['a host cookie at a remote', 'host', APP_A],
  ] as const)('refuses %s', async (_name, which, audience) => {
    const { engine, host, remote } = await linked()
    const cookie = which === 'host' ? host.cookie : remote.cookie
    const options = audience === undefined ? {} : { audience }
    expect(await engine.resolve(cookie, options)).toEqual({ ok: false, reason: 'wrong-app' })
  })

  it('records the remote on the host session and updates it on activity', async () => {
    const { engine, host, remote, clock } = await linked()
    clock.advance(2 * MINUTE)
    const result = await engine.resolve(remote.cookie, { audience: APP_A })
    if (result.ok) await result.pending
    const [summary] = await engine.list('alice')
    expect(summary?.remotes).toEqual([
      {
        audience: APP_A,
        firstSeenAt: host.session.createdAt,
        lastSeenAt: host.session.createdAt + 2 * MINUTE,
      },
    ])
  })

  it('activity at a remote keeps the host session from idling out', async () => {
    const { engine, host, remote, clock } = await linked()
    for (let i = 0; i < 4; i++) {
      clock.advance(20 * MINUTE)
      const result = await engine.resolve(remote.cookie, { audience: APP_A })
      expect(result.ok).toBe(true)
      if (result.ok) await result.pending
    }
    expect((await engine.resolve(host.cookie)).ok).toBe(true)
  })

  it('ends with its host session', async () => {
    const { engine, host, remote } = await linked()
    await engine.logout(host.session)
    expect((await engine.resolve(remote.cookie, { audience: APP_A })).ok).toBe(false)
  })

  it('refuses to link to a missing or ended host session', async () => {
    const { engine, host, clock } = await linked()
    clock.advance(13 * 60 * MINUTE)
    for (const hostSessionId of [host.session.id, 'nope']) {
      const error = await engine.link({ hostSessionId, audience: APP_A }).catch((e: unknown) => e)
      expect(isShareError(error) && error.code).toBe('ERR_SESSION_NOT_FOUND')
    }
  })

  it('concurrent links to one host session record every remote (no lost update)', async () => {
    const { engine, host } = await linked()
    const audiences = Array.from({ length: 10 }, (_, i) => `https://r${i}.example.com`)
    await Promise.all(
      audiences.map((audience) => engine.link({ hostSessionId: host.session.id, audience })),
    )
    const [summary] = await engine.list('alice')
    expect(summary?.remotes.map((r) => r.audience).sort()).toEqual([APP_A, ...audiences].sort())
  })
})

describe('replay guard and store failures', () => {
  it('consumes a token id once', async () => {
    const { ctx, events } = await harness()
    expect(await consumeTokenId(ctx, 'tok-1', 65)).toBe(true)
    expect(await consumeTokenId(ctx, 'tok-1', 65)).toBe(false)
    expect(events.at(-1)).toMatchObject({ type: 'token.replayed' })
  })

  it('fails closed with ERR_STORE_UNAVAILABLE when the store throws', async () => {
    const broken = createMemoryStore()
    const failing = new Proxy(broken, {
      get: (target, property) =>
        property === 'getWithParent' || property === 'setIfAbsent'
          ? () => Promise.reject(new Error('ECONNREFUSED 127.0.0.1:6379'))
          : Reflect.get(target, property),
    })
    const { engine, ctx } = await harness({ store: failing })
    const { cookie } = await engine.create({ userId: 'alice' })
    for (const attempt of [() => engine.resolve(cookie), () => consumeTokenId(ctx, 't', 60)]) {
      const error = await attempt().catch((e: unknown) => e)
      expect(isShareError(error) && [error.code, error.status]).toEqual([
        'ERR_STORE_UNAVAILABLE',
        503,
      ])
    }
  })

  it('keeps working when the audit hook throws', async () => {
    const { engine } = await harness({
      onEvent: () => {
        throw new Error('audit down')
      },
    })
    const { cookie } = await engine.create({ userId: 'alice' })
    expect((await engine.resolve(cookie)).ok).toBe(true)
  })
})
