import { describe, expect, it } from 'vitest'
import { harness, MINUTE } from './test-helpers.js'

/** What resolving reports: who was denied and why, and who was touched. */

const AUDIENCE = 'https://app.example.com'

describe('resolve events', () => {
  it('names the user and handle of a session used at the wrong app', async () => {
    const h = await harness()
    const host = await h.engine.create({ userId: 'alice' })
    const linked = await h.engine.link({ hostSessionId: host.session.id, audience: AUDIENCE })
    expect(await h.engine.resolve(linked.cookie)).toEqual({ ok: false, reason: 'wrong-app' })
    expect(
      await h.engine.resolve(linked.cookie, { audience: 'https://other.example.com' }),
    ).toEqual({ ok: false, reason: 'wrong-app' })
    expect(await h.engine.resolve(host.cookie, { audience: AUDIENCE })).toEqual({
      ok: false,
      reason: 'wrong-app',
    })
    const denied = h.events.filter((event) => event.type === 'session.denied')
    expect(denied).toEqual([
      {
        type: 'session.denied',
        at: h.clock.now(),
        reason: 'wrong-app',
        userId: 'alice',
        handle: linked.session.handle,
      },
      {
        type: 'session.denied',
        at: h.clock.now(),
        reason: 'wrong-app',
        userId: 'alice',
        handle: linked.session.handle,
      },
      {
        type: 'session.denied',
        at: h.clock.now(),
        reason: 'wrong-app',
        userId: 'alice',
        handle: host.session.handle,
      },
    ])
  })

  it('reports the touch that slid the idle expiry, with the host session', async () => {
    const h = await harness({ touchIntervalSec: 60 })
    const host = await h.engine.create({ userId: 'alice' })
    h.clock.advance(2 * MINUTE)
    const result = await h.engine.resolve(host.cookie)
    expect(result.ok).toBe(true)
    if (result.ok) await result.pending
    expect(h.events.filter((event) => event.type === 'session.touched')).toEqual([
      { type: 'session.touched', at: h.clock.now(), userId: 'alice', handle: host.session.handle },
    ])
  })
})
