import { describe, expect, it } from 'vitest'
import { harness, MINUTE } from './test-helpers.js'

/**
 * The expiry a user sees on their devices page, and the remotes it lists,
 * as activity moves them: the arithmetic of a record's lifetimes.
 */

const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

/** Resolves the cookie and waits for the touch write it may start. */
async function visitWith(
  h: Awaited<ReturnType<typeof harness>>,
  cookie: string,
  audience?: string,
): Promise<boolean> {
  const result = await h.engine.resolve(cookie, audience === undefined ? {} : { audience })
  if (result.ok) await result.pending
  return result.ok
}

describe('an ordinary session', () => {
  it('expires an idle timeout after the last activity, and at the latest at its absolute lifetime', async () => {
    const h = await harness({
      idleTimeoutSec: 30 * 60,
      absoluteLifetimeSec: 2 * 3600,
      touchIntervalSec: 60,
    })
    const { session, cookie } = await h.engine.create({ userId: 'alice' })
    const start = session.createdAt
    expect(session.idleExpiresAt).toBe(start + 30 * MINUTE)
    expect(session.absoluteExpiresAt).toBe(start + 2 * HOUR)
    h.clock.advance(20 * MINUTE)
    expect(await visitWith(h, cookie)).toBe(true)
    expect((await h.engine.list('alice'))[0]?.expiresAt).toBe(start + 50 * MINUTE)
    for (const minute of [45, 70, 95]) {
      h.clock.advance(25 * MINUTE)
      expect(await visitWith(h, cookie), `at ${minute} minutes`).toBe(true)
    }
    // 95 minutes in: another idle timeout would pass the 2-hour limit.
    expect((await h.engine.list('alice'))[0]?.expiresAt).toBe(start + 2 * HOUR)
  })
})

describe('a remember-me session', () => {
  it('lasts its own lifetime from sign-in, which activity neither extends nor shortens', async () => {
    const h = await harness({
      idleTimeoutSec: 30 * 60,
      absoluteLifetimeSec: 2 * 3600,
      rememberMeLifetimeSec: 30 * 24 * 3600,
    })
    const { session, cookie } = await h.engine.create({ userId: 'alice', rememberMe: true })
    const end = session.createdAt + 30 * DAY
    expect(session.absoluteExpiresAt).toBe(end)
    expect((await h.engine.list('alice'))[0]).toMatchObject({ rememberMe: true, expiresAt: end })
    h.clock.advance(DAY)
    expect(await visitWith(h, cookie)).toBe(true)
    expect((await h.engine.list('alice'))[0]?.expiresAt).toBe(end)
  })
})

describe('a linked session', () => {
  const audience = 'https://app.example.com'

  it('keeps its parent remember-me flag and ends exactly when the parent does', async () => {
    const h = await harness({ rememberMeLifetimeSec: 7 * 24 * 3600 })
    const host = await h.engine.create({ userId: 'alice', rememberMe: true })
    h.clock.advance(DAY)
    const linked = await h.engine.link({ hostSessionId: host.session.id, audience })
    expect(linked.session).toMatchObject({
      rememberMe: true,
      parentId: host.session.id,
      absoluteExpiresAt: host.session.absoluteExpiresAt,
      idleExpiresAt: host.session.absoluteExpiresAt,
      user: null,
      client: null,
    })
    h.clock.advance(6 * DAY - 1)
    expect(await visitWith(h, linked.cookie, audience)).toBe(true)
    h.clock.advance(1)
    expect(await visitWith(h, linked.cookie, audience)).toBe(false)
  })
})

describe('the remotes a host session lists', () => {
  it('keeps the 50 seen most recently, each with the time it was first seen', async () => {
    const h = await harness({ touchIntervalSec: 1 })
    const host = await h.engine.create({ userId: 'alice' })
    const audiences = Array.from({ length: 51 }, (_, i) => `https://app${i}.example.com`)
    for (const audience of audiences) {
      h.clock.advance(1_000)
      const linked = await h.engine.link({ hostSessionId: host.session.id, audience })
      await visitWith(h, linked.cookie, audience)
    }
    const firstLink = host.session.createdAt + 1_000
    h.clock.advance(1_000)
    expect(await visitWith(h, host.cookie)).toBe(true)
    const [summary] = await h.engine.list('alice')
    expect(summary?.remotes).toHaveLength(50)
    expect(summary?.remotes[0]).toEqual({
      audience: audiences[1],
      firstSeenAt: firstLink + 1_000,
      lastSeenAt: firstLink + 1_000,
    })
    expect(summary?.remotes.at(-1)?.audience).toBe(audiences[50])
  })
})
