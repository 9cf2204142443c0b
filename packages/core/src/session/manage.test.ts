import { describe, expect, it } from 'vitest'
import { harness, MINUTE } from './test-helpers.js'

const APP_A = 'https://app-a.example.com'

async function devices(count: number, h?: Awaited<ReturnType<typeof harness>>) {
  const context = h ?? (await harness())
  const signedIn = []
  for (let i = 0; i < count; i++) {
    signedIn.push(
      await context.engine.create({ userId: 'alice', client: { userAgent: `device ${i}` } }),
    )
    context.clock.advance(MINUTE)
  }
  return { ...context, signedIn }
}

describe('listing', () => {
  it("lists the user's devices newest first, marks the current one, and never shows an id", async () => {
    const { engine, signedIn } = await devices(3)
    const current = signedIn[1]!.session
    const list = await engine.list('alice', current)
    expect(list.map((s) => s.client?.userAgent)).toEqual(['device 2', 'device 1', 'device 0'])
    expect(list.map((s) => s.current)).toEqual([false, true, false])
    const text = JSON.stringify(list)
    for (const { session } of signedIn) expect(text).not.toContain(session.id)
  })

  it('marks the current device when asked from a remote (linked) session', async () => {
    const { engine, signedIn } = await devices(2)
    const remote = await engine.link({ hostSessionId: signedIn[0]!.session.id, audience: APP_A })
    const list = await engine.list('alice', remote.session)
    expect(list.find((s) => s.current)?.handle).toBe(signedIn[0]!.session.handle)
  })

  it('leaves out expired sessions', async () => {
    const { engine, clock } = await devices(1)
    clock.advance(31 * MINUTE)
    expect(await engine.list('alice')).toEqual([])
  })
})

describe('revocation', () => {
  it("revokes one of the user's own sessions by handle", async () => {
    const { engine, signedIn } = await devices(2)
    expect(await engine.revoke('alice', signedIn[0]!.session.handle)).toBe(true)
    expect((await engine.resolve(signedIn[0]!.cookie)).ok).toBe(false)
    expect((await engine.resolve(signedIn[1]!.cookie)).ok).toBe(true)
  })

  it("cannot revoke another user's session, even with its handle", async () => {
    const { engine, signedIn } = await devices(1)
    await engine.create({ userId: 'mallory' })
    expect(await engine.revoke('mallory', signedIn[0]!.session.handle)).toBe(false)
    expect(await engine.revoke('mallory', 'not-a-handle')).toBe(false)
    expect((await engine.resolve(signedIn[0]!.cookie)).ok).toBe(true)
  })

  it('revokes every other session of the user, keeping the current one and its remotes', async () => {
    const { engine, signedIn } = await devices(3)
    const keep = signedIn[2]!
    const remote = await engine.link({ hostSessionId: keep.session.id, audience: APP_A })
    expect(await engine.revokeOthers(remote.session)).toBe(2)
    expect((await engine.resolve(keep.cookie)).ok).toBe(true)
    expect((await engine.resolve(remote.cookie, { audience: APP_A })).ok).toBe(true)
    expect((await engine.resolve(signedIn[0]!.cookie)).ok).toBe(false)
  })

  it('logs out everywhere: every device and every remote session of the user', async () => {
    const { engine, signedIn } = await devices(2)
    const remote = await engine.link({ hostSessionId: signedIn[0]!.session.id, audience: APP_A })
    expect(await engine.revokeAll('alice')).toBe(3)
    for (const { cookie } of signedIn) expect((await engine.resolve(cookie)).ok).toBe(false)
    expect((await engine.resolve(remote.cookie, { audience: APP_A })).ok).toBe(false)
  })

  it('logs out at a remote only, or everywhere from the remote', async () => {
    const { engine, signedIn } = await devices(1)
    const host = signedIn[0]!
    const first = await engine.link({ hostSessionId: host.session.id, audience: APP_A })
    await engine.logout(first.session)
    expect((await engine.resolve(first.cookie, { audience: APP_A })).ok).toBe(false)
    expect((await engine.resolve(host.cookie)).ok).toBe(true)
    const second = await engine.link({ hostSessionId: host.session.id, audience: APP_A })
    await engine.logout(second.session, { everywhere: true })
    expect((await engine.resolve(host.cookie)).ok).toBe(false)
  })

  it('caps live sessions per user, revoking the oldest', async () => {
    const h = await harness({ maxSessionsPerUser: 2 })
    const { engine, signedIn, events } = await devices(3, h)
    expect((await engine.resolve(signedIn[0]!.cookie)).ok).toBe(false)
    expect((await engine.resolve(signedIn[1]!.cookie)).ok).toBe(true)
    expect((await engine.resolve(signedIn[2]!.cookie)).ok).toBe(true)
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'session.revoked', reason: 'session-limit', count: 1 }),
    )
  })
})

describe('audit events', () => {
  it('reports each step by handle and never carries a session id or cookie', async () => {
    const { engine, events, signedIn } = await devices(2)
    await engine.resolve('garbage')
    await engine.revoke('alice', signedIn[0]!.session.handle)
    await engine.resolve(signedIn[0]!.cookie)
    expect(events.map((e) => e.type)).toEqual([
      'session.created',
      'session.created',
      'session.denied',
      'session.revoked',
      'session.denied',
    ])
    expect(events[2]).toMatchObject({ reason: 'bad-cookie' })
    expect(events[4]).toEqual({
      type: 'session.denied',
      at: expect.any(Number),
      reason: 'not-found',
    })
    const text = JSON.stringify(events)
    for (const { session, cookie } of signedIn) {
      expect(text).not.toContain(session.id)
      expect(text).not.toContain(cookie)
    }
  })
})
