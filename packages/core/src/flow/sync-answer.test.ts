import { describe, expect, it } from 'vitest'
import { ShareError } from '../errors.js'
import { generateSyncKey } from '../keys/sync-key.js'
import { createMemoryStore } from '../memory/memory-store.js'
import type { SessionStore } from '../session/store.js'
import { createShareHost } from './host.js'
import { createShareRemote } from './remote.js'

/**
 * `handle()` answers an ordinary request without a promise when its session
 * is at hand (a store in this process, a cookie verified before): the hot
 * path of every adapter. Whatever shape the store's answer takes (a value, a
 * promise, another library's thenable, a synchronous throw, a rejection),
 * the outcome is the same, and a failing store stays a soft `unavailable`.
 */

type Mode = 'value' | 'promise' | 'thenable' | 'throw' | 'reject' | 'share-error'

/** The memory store, its `getWithParent` answering in the shape `mode` says. */
function shapedStore() {
  const memory = createMemoryStore()
  const state: { mode: Mode } = { mode: 'value' }
  const store: SessionStore = {
    ...memory,
    getWithParent(id) {
      const answer = memory.getWithParent(id)
      switch (state.mode) {
        case 'value':
          return answer
        case 'promise':
          return Promise.resolve(answer)
        case 'thenable':
          // Not this realm's Promise: what a store library may hand back.
          // biome-ignore lint/suspicious/noThenProperty: a thenable is what this case is about
          return { then: (done: (value: typeof answer) => void) => done(answer) } as never
        case 'throw':
          throw new Error('store down')
        case 'reject':
          return Promise.reject(new Error('store down'))
        case 'share-error':
          // A store's own typed refusal is not an outage.
          throw new ShareError('ERR_ARGUMENT_INVALID', { detail: 'store refused the id' })
      }
    },
  }
  return { store, state }
}

const APP = 'http://app.localhost:4001'
const HOST = 'http://idp.localhost:4000'

async function signedInRemote() {
  const { store, state } = shapedStore()
  const remote = createShareRemote({
    syncKey: generateSyncKey(),
    appUrl: APP,
    hostUrl: HOST,
    store,
  })
  const host = await remote.engine.create({ userId: 'alice' })
  const linked = await remote.engine.link({ hostSessionId: host.session.id, audience: APP })
  const request = () =>
    new Request(`${APP}/page`, { headers: { cookie: `${remote.cookieName}=${linked.cookie}` } })
  return { remote, state, request }
}

describe('handle() on the hot path', () => {
  it('answers a remote page synchronously once the cookie was verified, with the session', async () => {
    const { remote, request } = await signedInRemote()
    // The first sight of a cookie checks its MAC with Web Crypto: a promise.
    const first = remote.handle(request())
    expect(first).toBeInstanceOf(Promise)
    expect(await first).toMatchObject({ type: 'continue', session: { userId: 'alice' } })
    const again = remote.handle(request())
    expect(again).not.toBeInstanceOf(Promise)
    expect(again).toMatchObject({
      type: 'continue',
      session: { userId: 'alice' },
      headers: [['Cache-Control', 'no-store']],
    })
  })

  it('answers a request without a cookie synchronously, and a host page too', async () => {
    const store = createMemoryStore()
    const host = createShareHost({
      syncKey: generateSyncKey(),
      appUrl: HOST,
      knownRemotes: [APP],
      store,
    })
    const anonymous = host.handle(new Request(`${HOST}/`))
    expect(anonymous).not.toBeInstanceOf(Promise)
    expect(anonymous).toMatchObject({ type: 'continue', session: null })
    const { cookie } = await host.engine.create({ userId: 'bob' })
    const page = () =>
      new Request(`${HOST}/`, { headers: { cookie: `${host.cookieName}=${cookie}` } })
    await host.handle(page())
    const outcome = host.handle(page())
    expect(outcome).not.toBeInstanceOf(Promise)
    expect(outcome).toMatchObject({ type: 'continue', session: { userId: 'bob' } })
  })

  it.each(['promise', 'thenable'] as const)(
    'gives the same session when the store answers with a %s',
    async (mode) => {
      const { remote, state, request } = await signedInRemote()
      await remote.handle(request())
      state.mode = mode
      const outcome = remote.handle(request())
      expect(outcome).toBeInstanceOf(Promise)
      expect(await outcome).toMatchObject({ type: 'continue', session: { userId: 'alice' } })
    },
  )

  it.each(['throw', 'reject'] as const)(
    'stays soft when the store fails with a %s: no session, unavailable, never a throw',
    async (mode) => {
      const { remote, state, request } = await signedInRemote()
      await remote.handle(request())
      state.mode = mode
      let outcome: unknown
      expect(() => {
        outcome = remote.handle(request())
      }).not.toThrow()
      expect(await outcome).toEqual({
        type: 'continue',
        session: null,
        headers: [],
        unavailable: true,
      })
      // And the public read path reports it as the documented error, not the store's own.
      await expect(
        remote.engine.resolve(request().headers.get('cookie')!.split('=')[1]),
      ).rejects.toMatchObject({
        code: 'ERR_STORE_UNAVAILABLE',
      })
    },
  )

  it("answers a store's own ShareError with its error page, not as an outage", async () => {
    const { remote, state, request } = await signedInRemote()
    await remote.handle(request())
    state.mode = 'share-error'
    const outcome = await remote.handle(request())
    if (outcome.type !== 'respond') throw new Error(`expected an error page, got ${outcome.type}`)
    // The code's own status (a programming error: 500), not the outage's 503.
    expect(outcome.response.status).toBe(new ShareError('ERR_ARGUMENT_INVALID').status)
    expect(outcome.response.status).not.toBe(503)
    expect(await outcome.response.text()).toContain('ERR_ARGUMENT_INVALID')
  })
})
