import { describe, expect, it } from 'vitest'
import { generateSyncKey } from '../keys/sync-key.js'
import { createMemoryStore } from '../memory/memory-store.js'
import type { SessionStore } from '../session/store.js'
import { createShareHost } from './host.js'
import { createShareRemote } from './remote.js'
import type { ShareOutcome } from './session-reader.js'
import { APP_A, Browser, HOST, protocol, signInAt } from './test-harness.js'

/**
 * `requireSession`, the decision every adapter's guard returns: let the
 * request on, or answer it (503, 401, the sign-in redirect, 403).
 */

function stateOf(outcome: ShareOutcome) {
  if (outcome.type !== 'continue') throw new Error('expected the request to continue')
  return outcome
}

async function errorCode(response: Response | null): Promise<[number, string]> {
  if (response === null) throw new Error('expected a response')
  const body = (await response.json()) as { error: { code: string } }
  return [response.status, body.error.code]
}

async function signedIn() {
  const p = await protocol()
  const browser = Browser.for(p)
  await signInAt(p, browser, p.remoteA)
  return { p, browser }
}

describe('a request with a session', () => {
  it('goes on, at the host and at a remote', async () => {
    const { p, browser } = await signedIn()
    for (const [app, url] of [
      [p.host, `${HOST}/account`],
      [p.remoteA, `${APP_A}/dashboard`],
    ] as const) {
      const request = browser.request(url)
      const state = stateOf(await app.handle(request))
      expect(state.session?.userId).toBe('alice')
      expect(await app.requireSession(request, state)).toBeNull()
    }
  })

  it('goes on when `where` accepts the session, and gets 403 ERR_FORBIDDEN when it refuses', async () => {
    const { p, browser } = await signedIn()
    const request = browser.request(`${APP_A}/admin`, { headers: { accept: 'application/json' } })
    const state = stateOf(await p.remoteA.handle(request))
    const seen: string[] = []
    const where = (session: { userId: string }) => {
      seen.push(session.userId)
      return session.userId === 'alice'
    }
    expect(await p.remoteA.requireSession(request, state, { where })).toBeNull()
    expect(seen).toEqual(['alice'])
    const refused = await p.remoteA.requireSession(request, state, { where: () => false })
    expect(await errorCode(refused)).toEqual([403, 'ERR_FORBIDDEN'])
  })
})

describe('a request without a session', () => {
  const page = { accept: 'text/html,application/xhtml+xml' }

  it('is sent to sign in when it is a page load', async () => {
    const p = await protocol()
    const request = new Request(`${APP_A}/dashboard?tab=2`, { headers: page })
    const response = await p.remoteA.requireSession(
      request,
      stateOf(await p.remoteA.handle(request)),
    )
    expect(response?.status).toBe(302)
    expect(response?.headers.get('location')).toMatch(
      /^http:\/\/idp\.localhost:4000\/share\/authorize\?/,
    )
    const hostRequest = new Request(`${HOST}/account?x=1`, { headers: page })
    const atHost = await p.host.requireSession(hostRequest, { session: null })
    expect(atHost?.status).toBe(303)
    expect(atHost?.headers.get('location')).toBe(
      `/login?next=${encodeURIComponent('/account?x=1')}`,
    )
  })

  it.each([
    ['a fetch (Sec-Fetch-Dest: empty)', { 'sec-fetch-dest': 'empty', accept: 'text/html' }],
    ['a client asking for JSON only', { accept: 'application/json' }],
  ])('gets 401 ERR_SESSION_REQUIRED as JSON when it is %s', async (_name, headers) => {
    const p = await protocol()
    const request = new Request(`${APP_A}/api/items`, { headers })
    const response = await p.remoteA.requireSession(request, { session: null })
    expect(await errorCode(response)).toEqual([401, 'ERR_SESSION_REQUIRED'])
    expect(response?.headers.get('content-type')).toBe('application/json; charset=utf-8')
  })

  it('is a page load when it accepts JSON and HTML alike, or says nothing', async () => {
    const p = await protocol()
    for (const headers of [
      { accept: 'application/json, text/html' },
      { 'sec-fetch-dest': 'document' },
      {},
    ]) {
      const request = new Request(`${APP_A}/dashboard`, { headers })
      const response = await p.remoteA.requireSession(request, { session: null })
      expect(response?.status, JSON.stringify(headers)).toBe(302)
    }
  })

  it('follows onMissing: status answers 401 to a page load, redirect sends a fetch to sign in', async () => {
    const p = await protocol()
    const pageLoad = new Request(`${APP_A}/dashboard`, { headers: page })
    const status = await p.remoteA.requireSession(
      pageLoad,
      { session: null },
      { onMissing: 'status' },
    )
    expect(await errorCode(status)).toEqual([401, 'ERR_SESSION_REQUIRED'])
    const fetchCall = new Request(`${APP_A}/api`, { headers: { 'sec-fetch-dest': 'empty' } })
    const redirect = await p.remoteA.requireSession(
      fetchCall,
      { session: null },
      { onMissing: 'redirect' },
    )
    expect(redirect?.status).toBe(302)
  })
})

describe('a request whose session the store could not read', () => {
  /** A store whose reads fail (a Redis outage): writes are never reached. */
  const down = (): SessionStore =>
    new Proxy(createMemoryStore(), {
      get(target, property) {
        if (property === 'getWithParent' || property === 'get') {
          return () => Promise.reject(new Error('ECONNREFUSED'))
        }
        return Reflect.get(target, property)
      },
    })

  it('goes on without a session where none is needed, and is refused 503 where one is', async () => {
    const syncKey = generateSyncKey()
    const store = down()
    const host = createShareHost({ syncKey, appUrl: HOST, knownRemotes: [APP_A], store })
    const remote = createShareRemote({ syncKey, appUrl: APP_A, hostUrl: HOST, store })
    for (const app of [host, remote]) {
      // Creating writes to the store, which still works; reading it back fails.
      const { cookie: issued } = await app.engine.create({ userId: 'alice' })
      const request = new Request(`${app.origin}/page`, {
        headers: { cookie: `${app.cookieName}=${issued}`, accept: 'text/html' },
      })
      const outcome = stateOf(await app.handle(request))
      expect(outcome).toMatchObject({ session: null, unavailable: true })
      // The cookie is kept: the store is down, the session may well be alive.
      expect(outcome.headers.some(([name]) => name === 'Set-Cookie')).toBe(false)
      const refused = await app.requireSession(request, outcome)
      expect(refused?.status).toBe(503)
      expect(await refused?.text()).toContain('ERR_STORE_UNAVAILABLE')
    }
  })
})
