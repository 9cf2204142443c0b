import { describe, expect, it } from 'vitest'
import { isShareError } from '../errors.js'
import { generateSyncKey } from '../keys/sync-key.js'
import { createMemoryStore } from '../memory/memory-store.js'
import { createSessionEngine } from './engine.js'
import { harness } from './test-helpers.js'

/** The engine's argument rules and the events it reports, one at a time. */

async function failure(run: () => Promise<unknown>) {
  const error = await run().then(
    () => undefined,
    (e: unknown) => e,
  )
  if (!isShareError(error)) throw new Error(`expected a ShareError, got ${String(error)}`)
  return error
}

describe('createSessionEngine', () => {
  it.each([
    ['no store', undefined],
    ['null', null],
    ['an object that is no store', { get: () => null }],
  ])('refuses %s as the store, saying what it must implement', (_name, store) => {
    let error: unknown
    try {
      createSessionEngine({ syncKey: generateSyncKey(), store: store as never })
    } catch (e) {
      error = e
    }
    expect(isShareError(error) && error.code).toBe('ERR_CONFIG_INVALID')
    expect(isShareError(error) && error.detail).toMatch(
      /^createSessionEngine: store must implement SessionStore \(e\.g\. createMemoryStore\(\)\)/,
    )
  })

  it('lists every problem, separated', () => {
    let error: unknown
    try {
      createSessionEngine({ syncKey: generateSyncKey(), store: null as never, now: 5 as never })
    } catch (e) {
      error = e
    }
    expect(isShareError(error) && error.detail).toMatch(/^createSessionEngine: store .+; now /)
  })

  it('is ready once its keys are derived', async () => {
    const engine = createSessionEngine({ syncKey: generateSyncKey(), store: createMemoryStore() })
    await expect(engine.ready()).resolves.toBeUndefined()
  })
})

describe('link', () => {
  it.each([
    ['no audience', undefined],
    ['an empty audience', ''],
    ['a 256-character audience', `https://${'a'.repeat(248)}`],
  ])('refuses %s with a message', async (_name, audience) => {
    const h = await harness()
    const { session } = await h.engine.create({ userId: 'alice' })
    const error = await failure(() =>
      h.engine.link({ hostSessionId: session.id, audience: audience as string }),
    )
    expect(error.code).toBe('ERR_ARGUMENT_INVALID')
    expect(error.detail).toBe('link needs the remote origin as audience')
  })

  it('takes a 255-character audience', async () => {
    const h = await harness()
    const { session } = await h.engine.create({ userId: 'alice' })
    const audience = `https://${'a'.repeat(247)}`
    const linked = await h.engine.link({ hostSessionId: session.id, audience })
    expect(linked.session.audience).toBe(audience)
  })

  it('refuses a parent that is not a live host session', async () => {
    const h = await harness()
    const { session } = await h.engine.create({ userId: 'alice' })
    const audience = 'https://app.example.com'
    const linked = await h.engine.link({ hostSessionId: session.id, audience })
    for (const hostSessionId of [linked.session.id, 42, 'no-such-session']) {
      const error = await failure(() =>
        h.engine.link({ hostSessionId: hostSessionId as string, audience }),
      )
      expect(error.code).toBe('ERR_SESSION_NOT_FOUND')
    }
  })

  it('reports a host and a linked session as created, each with its kind', async () => {
    const h = await harness()
    const { session } = await h.engine.create({ userId: 'alice' })
    const audience = 'https://app.example.com'
    const linked = await h.engine.link({ hostSessionId: session.id, audience })
    const at = h.clock.now()
    expect(h.events.filter((event) => event.type === 'session.created')).toEqual([
      { type: 'session.created', at, userId: 'alice', handle: session.handle, kind: 'host' },
      {
        type: 'session.created',
        at,
        userId: 'alice',
        handle: linked.session.handle,
        kind: 'linked',
        audience,
      },
    ])
  })
})

describe('updateUser', () => {
  it('reports how many sessions it changed', async () => {
    const h = await harness()
    await h.engine.create({ userId: 'alice', user: { name: 'A' } })
    await h.engine.create({ userId: 'alice', user: { name: 'A' } })
    expect(await h.engine.updateUser('alice', { name: 'B' })).toBe(2)
    expect(h.events.filter((event) => event.type === 'user.updated')).toEqual([
      { type: 'user.updated', at: h.clock.now(), userId: 'alice', count: 2 },
    ])
  })
})
