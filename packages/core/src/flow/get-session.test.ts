import { describe, expect, it } from 'vitest'
import { generateSyncKey } from '../keys/sync-key.js'
import { createMemoryStore } from '../memory/memory-store.js'
import type { SessionEvent } from '../session/events.js'
import { createShareHost } from './host.js'
import { createShareRemote } from './remote.js'
import { APP_A, Browser, HOST, protocol, signInAt } from './test-harness.js'

/**
 * Reading the session outside the middleware (`getSession`), from each
 * source an app has at hand, and the cookie headers of an ordinary request.
 */

async function signedIn() {
  const p = await protocol()
  const browser = Browser.for(p)
  await signInAt(p, browser, p.remoteA)
  const hostCookie = `${p.host.cookieName}=${browser.cookies(HOST).get(p.host.cookieName)}`
  const remoteValue = browser.cookies(APP_A).get(p.remoteA.cookieName)!
  return { p, browser, hostCookie, remoteValue }
}

describe('getSession', () => {
  it('reads the session from a Request, a Headers object, a { headers } object and a cookie store', async () => {
    const { p, remoteValue } = await signedIn()
    const header = `other=1; ${p.remoteA.cookieName}=${remoteValue}`
    const headers = new Headers({ cookie: header })
    const sources = [
      new Request(`${APP_A}/page`, { headers }),
      headers,
      { headers: { get: (name: string) => (name === 'cookie' ? header : null) } },
      {
        get: (name: string) => (name === p.remoteA.cookieName ? { value: remoteValue } : undefined),
      },
    ]
    for (const source of sources) {
      const read = await p.remoteA.getSession(source)
      expect(read.session?.userId).toBe('alice')
      await expect(read.pending).resolves.toBeUndefined()
    }
  })

  it('answers no session, never an error, for a source with no usable cookie', async () => {
    const { p, remoteValue } = await signedIn()
    const sources: unknown[] = [
      null,
      'cookie',
      new Headers(),
      { get: () => undefined },
      { get: () => null },
      { get: () => ({ value: 42 }) },
      // Not our alphabet: refused before the engine sees it.
      { get: () => ({ value: `${remoteValue.slice(0, -1)} ` }) },
      { get: () => ({ value: '' }) },
    ]
    for (const source of sources) {
      const read = await p.remoteA.getSession(source as Headers)
      expect(read.session, String(source)).toBeNull()
      await expect(read.pending).resolves.toBeUndefined()
    }
  })

  it('reads no cookie from a source of another shape, and sends nothing unusable to the engine', async () => {
    const events: SessionEvent[] = []
    const remote = createShareRemote({
      syncKey: generateSyncKey(),
      appUrl: APP_A,
      hostUrl: HOST,
      store: createMemoryStore(),
      onEvent: (event) => events.push(event),
    })
    const sources: unknown[] = [
      {},
      { headers: 42 },
      { headers: null },
      { headers: {} },
      { get: 'not a function' },
      { get: () => ({ value: 42 }) },
      { get: () => ({ value: 'has space' }) },
    ]
    for (const source of sources) {
      const read = await remote.getSession(source as Headers)
      expect(read.session, JSON.stringify(source)).toBeNull()
    }
    // Refused before the engine: no cookie reached it, so nothing was denied.
    expect(events.filter((event) => event.type === 'session.denied')).toEqual([])
  })

  it('accepts only its own kind of session: the host cookie is no session at a remote', async () => {
    const { p, hostCookie } = await signedIn()
    const headers = new Headers({
      cookie: hostCookie.replace(p.host.cookieName, p.remoteA.cookieName),
    })
    expect((await p.remoteA.getSession(headers)).session).toBeNull()
    const atHost = await p.host.getSession(new Headers({ cookie: hostCookie }))
    expect(atHost.session?.userId).toBe('alice')
    expect(atHost.session?.session.kind).toBe('host')
  })

  it('hands back the touch write as pending when the request is due one', async () => {
    const { p, remoteValue } = await signedIn()
    p.clock.advance(5 * 60_000)
    const headers = new Headers({ cookie: `${p.remoteA.cookieName}=${remoteValue}` })
    const read = await p.remoteA.getSession(headers)
    await read.pending
    const [listed] = await p.host.engine.list('alice')
    expect(listed?.lastSeenAt).toBe(p.clock.now())
  })
})

describe('the headers of an ordinary request', () => {
  it('clear a cookie that names no session, and add nothing when there is no cookie', async () => {
    const p = await protocol()
    const stale = new Request(`${APP_A}/page`, {
      headers: { cookie: `${p.remoteA.cookieName}=${'A'.repeat(102)}` },
    })
    const outcome = await p.remoteA.handle(stale)
    if (outcome.type !== 'continue') throw new Error('expected continue')
    expect(outcome.session).toBeNull()
    expect(outcome.headers).toContainEqual([
      'Set-Cookie',
      `${p.remoteA.cookieName}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`,
    ])
    const none = await p.remoteA.handle(new Request(`${APP_A}/page`))
    expect(none.type === 'continue' && none.headers).toEqual([])
  })

  it('re-sign the cookie with the current key while a key rotation is under way', async () => {
    const oldKey = generateSyncKey()
    const newKey = generateSyncKey()
    const store = createMemoryStore()
    const before = createShareHost({ syncKey: oldKey, appUrl: HOST, knownRemotes: [APP_A], store })
    const { cookie } = await before.engine.create({ userId: 'alice', rememberMe: true })
    const after = createShareHost({
      syncKey: [newKey, oldKey],
      appUrl: HOST,
      knownRemotes: [APP_A],
      store,
    })
    const request = new Request(`${HOST}/page`, {
      headers: { cookie: `${after.cookieName}=${cookie}` },
    })
    const outcome = await after.handle(request)
    if (outcome.type !== 'continue') throw new Error('expected continue')
    expect(outcome.session?.userId).toBe('alice')
    const set = outcome.headers.filter(([name]) => name === 'Set-Cookie').map(([, value]) => value)
    expect(set).toHaveLength(1)
    const [reissued] = set
    expect(reissued).toMatch(
      new RegExp(`^${after.cookieName}=${cookie.slice(0, 49)}\\.[^;]+; Path=/`),
    )
    expect(reissued).not.toContain(cookie)
    // A remember-me session keeps a persistent cookie.
    expect(reissued).toMatch(/; Max-Age=\d+$/)
    // The new value resolves on a host that has only the new key.
    const value = reissued!.split(';')[0]!.split('=')[1]!
    const only = createShareRemote({ syncKey: newKey, appUrl: APP_A, hostUrl: HOST, store })
    const resolved = await only.engine.resolve(value)
    expect(resolved.ok).toBe(true)
  })
})

describe('the session endpoint at a remote', () => {
  it("says when the session ends: the host session's idle expiry, not the linked record's lifetime", async () => {
    const { p, remoteValue } = await signedIn()
    const response = await p.remoteA.handle(
      new Request(`${APP_A}/share/session`, {
        headers: { cookie: `${p.remoteA.cookieName}=${remoteValue}` },
      }),
    )
    if (response.type !== 'respond') throw new Error('expected the JSON')
    expect(response.response.headers.get('content-type')).toBe('application/json; charset=utf-8')
    const body = (await response.response.json()) as { session: { expiresAt: number } }
    const [host] = await p.host.engine.list('alice')
    expect(body.session.expiresAt).toBe(host?.expiresAt)
    expect(body.session.expiresAt).toBeLessThan(p.clock.now() + 24 * 3_600_000)
  })
})

describe('the loop counter cookie on ordinary pages', () => {
  it('is dropped on the first page with a session, and nothing is set on the next', async () => {
    const { p, remoteValue } = await signedIn()
    const session = `${p.remoteA.cookieName}=${remoteValue}`
    const first = await p.remoteA.handle(
      new Request(`${APP_A}/page`, { headers: { cookie: `${session}; share_loop=1` } }),
    )
    expect(first.type === 'continue' && first.headers).toEqual([
      ['Cache-Control', 'no-store'],
      ['Set-Cookie', 'share_loop=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0'],
    ])
    const next = await p.remoteA.handle(
      new Request(`${APP_A}/page`, { headers: { cookie: session } }),
    )
    expect(next.type === 'continue' && next.headers).toEqual([['Cache-Control', 'no-store']])
  })
})

describe('reading the session', () => {
  it('from a Headers object of another realm (a polyfill), by its getSetCookie', async () => {
    const { p, remoteValue } = await signedIn()
    const cookie = `${p.remoteA.cookieName}=${remoteValue}`
    const foreign = {
      get: (name: string) => (name === 'cookie' ? cookie : null),
      getSetCookie: () => [],
    }
    expect((await p.remoteA.getSession(foreign as unknown as Headers)).session?.userId).toBe(
      'alice',
    )
  })
})
