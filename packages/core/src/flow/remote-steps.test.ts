import { describe, expect, it } from 'vitest'
import { decodeBase64url } from '../encoding/base64url.js'
import type { SessionEvent } from '../session/events.js'
import { MAX_TOKEN_LENGTH } from '../token/format.js'
import { createShareRemote } from './remote.js'
import type { ShareRequest } from './request.js'
import { APP_A, Browser, protocol, signInAt } from './test-harness.js'

/** The remote's steps at their edges: the replay window, the loop counter, methods, audit and details. */

/** A browser signed in at the host (through B), with a token for A in hand and A's state cookie set. */
async function minted() {
  const p = await protocol()
  const browser = Browser.for(p)
  await signInAt(p, browser, p.remoteB)
  const start = await p.remoteA.loginRedirect(browser.request(`${APP_A}/inbox`))
  browser.store(APP_A, start)
  const handOff = await browser.respond(start.headers.get('location')!)
  return { p, browser, callback: handOff.headers.get('location')! }
}

/** Remote A on the protocol's store and keys, its audit events collected. */
async function auditedRemote() {
  const events: SessionEvent[] = []
  const p = await protocol()
  const remote = p.remote({
    onEvent: (event) => events.push(event),
  })
  return { p, remote, events }
}

/** The path a state cookie says the browser comes back to. */
function wantedIn(response: Response): string {
  const line = response.headers.getSetCookie().find((l) => l.startsWith('share_state='))!
  const value = line.split(';')[0]!.slice('share_state='.length)
  return new TextDecoder().decode(decodeBase64url(value.split('.')[1]!)!)
}

describe('the replay guard', () => {
  it('refuses a replay up to the last second the token is still valid', async () => {
    const { p, browser, callback } = await minted()
    const stateCookie = browser.cookies(APP_A).get('share_state')!
    expect((await browser.respond(callback)).status).toBe(303)
    // 60 s of lifetime and 5 s of leeway: at 64.5 s the token still opens.
    p.clock.advance(64_500)
    browser.cookies(APP_A).set('share_state', stateCookie)
    const again = await browser.respond(callback)
    expect(again.status).toBe(403)
    expect(await again.text()).toContain('ERR_TOKEN_REPLAYED')
  })
})

describe('the loop counter', () => {
  it('stops a browser that has already gone round 3 times (or more) with a page that resets it', async () => {
    const p = await protocol()
    for (const rounds of ['3', '12']) {
      const request = new Request(`${APP_A}/inbox`, { headers: { cookie: `share_loop=${rounds}` } })
      const response = await p.remoteA.loginRedirect(request)
      expect(response.status, rounds).toBe(403)
      expect(await response.text()).toContain('ERR_SIGN_IN_LOOP')
      expect(response.headers.getSetCookie()).toContain(
        'share_loop=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0',
      )
    }
  })

  it('counts a value that is not a small number as no round, and starts again at 1', async () => {
    for (const junk of ['zz', 'x5', '5x', '123']) {
      const { browser, callback } = await minted()
      browser.cookies(APP_A).set('share_loop', junk)
      const landed = await browser.respond(callback)
      expect(landed.status, junk).toBe(303)
      expect(landed.headers.getSetCookie(), junk).toContain(
        'share_loop=1; Path=/; HttpOnly; SameSite=Lax; Max-Age=60',
      )
    }
  })
})

describe('the loop counter after a sign-in', () => {
  const CLEARED = 'share_loop=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0'

  /** A's session cookie after a sign-in, and what A adds to a page asked for with `header`. */
  async function setCookiesFor(header: (session: string) => string) {
    const { p, browser, callback } = await minted()
    expect((await browser.respond(callback)).status).toBe(303)
    const session = `share_session=${browser.cookies(APP_A).get('share_session')}`
    const outcome = await p.remoteA.handle(
      new Request(`${APP_A}/inbox`, { headers: { cookie: header(session) } }),
    )
    if (outcome.type !== 'continue' || outcome.session === null) throw new Error('not signed in')
    return outcome.headers.filter(([name]) => name === 'Set-Cookie').map(([, value]) => value)
  }

  it('is cleared on the first signed-in page, however tightly the header is written', async () => {
    for (const header of [
      (s: string) => `${s}; share_loop=1`,
      (s: string) => `${s};share_loop=1`,
      // The least room there is: a `;`, the name and a `=` (an empty value still counts).
      (s: string) => `${s};share_loop=`,
      (s: string) => `share_loop=1;${s}`,
      (s: string) => `a=b; ${s}; share_loop=2`,
    ]) {
      expect(await setCookiesFor(header), header('S')).toContain(CLEARED)
    }
  })

  it('is not cleared when the header holds only the session cookie or other cookies', async () => {
    for (const header of [(s: string) => s, (s: string) => ` ${s} `, (s: string) => `${s}; a=b`]) {
      expect(await setCookiesFor(header), header('S')).toEqual([])
    }
  })
})

describe('the sign-in steps', () => {
  it('take GET only', async () => {
    const p = await protocol()
    for (const path of ['/share/login', '/share/callback?token=x']) {
      const outcome = await p.remoteA.handle(new Request(`${APP_A}${path}`, { method: 'POST' }))
      expect(outcome.type === 'respond' && outcome.response.status, path).toBe(405)
    }
  })

  it('come back to the return path of /share/login, to / for a POST, else to the page asked for', async () => {
    const p = await protocol()
    const login = await p.remoteA.handle(new Request(`${APP_A}/share/login?return=/inbox%3Fa%3D1`))
    if (login.type !== 'respond') throw new Error('expected the redirect')
    expect(wantedIn(login.response)).toBe('/inbox?a=1')
    const bare = await p.remoteA.handle(new Request(`${APP_A}/share/login`))
    if (bare.type !== 'respond') throw new Error('expected the redirect')
    expect(wantedIn(bare.response)).toBe('/')
    const post = new Request(`${APP_A}/items?x=1`, { method: 'POST' })
    expect(wantedIn(await p.remoteA.loginRedirect(post))).toBe('/')
    const get = new Request(`${APP_A}/items?x=1`)
    expect(wantedIn(await p.remoteA.loginRedirect(get))).toBe('/items?x=1')
  })
})

describe('refused tokens in the audit log', () => {
  async function refusedEvents(query: string) {
    const { p, remote, events } = await auditedRemote()
    const browser = Browser.for(p)
    browser.store(APP_A, await remote.loginRedirect(browser.request(`${APP_A}/`)))
    await remote.handle(browser.request(`${APP_A}/share/callback${query}`))
    // The keyed hash is computed after the page is answered.
    await new Promise((done) => setTimeout(done, 20))
    return events.filter((event) => event.type === 'token.refused')
  }

  it('name no token when there is none, or one too long to be a token', async () => {
    expect(await refusedEvents('')).toEqual([
      expect.objectContaining({ code: 'ERR_TOKEN_MALFORMED', ref: null }),
    ])
    expect(await refusedEvents(`?token=${'A'.repeat(2049)}`)).toEqual([
      expect.objectContaining({ code: 'ERR_REQUEST_INVALID', ref: null }),
    ])
  })

  it('name a bad token by its keyed hash, once', async () => {
    const events = await refusedEvents(`?token=${'A'.repeat(200)}`)
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({ type: 'token.refused', audience: APP_A })
    expect(typeof (events[0] as { ref: unknown }).ref).toBe('string')
  })
})

describe('the reason a callback arrived without its state cookie', () => {
  async function detailFor(headers: Record<string, string>) {
    const details: string[] = []
    const p = await protocol()
    const remote = p.remote({
      onError: (error) => details.push(error.detail ?? ''),
    })
    await remote.handle(new Request(`${APP_A}/share/callback?token=abc`, { headers }))
    return details
  }

  it('is another browser or a slow sign-in when the host name matches, in any case', async () => {
    const plain =
      'no state cookie: the sign-in started in another browser (a replayed or planted token), or took over 10 minutes'
    expect(await detailFor({})).toEqual([plain])
    expect(await detailFor({ host: 'App-A.Localhost:4001' })).toEqual([plain])
    expect((await detailFor({ host: 'localhost:4001' }))[0]).toMatch(
      /^the browser is at "localhost:4001"/,
    )
  })
})

describe('a request the handler cannot read', () => {
  it('gets an error page, not a thrown error', async () => {
    const p = await protocol()
    const broken = { method: 'GET', url: null, headers: new Headers(), body: null }
    for (const app of [p.host, p.remoteA]) {
      const outcome = await app.handle(broken as unknown as ShareRequest)
      expect(outcome.type === 'respond' && outcome.response.status).toBe(500)
    }
  })
})

describe('a store failure while linking', () => {
  it('is a 503 page, not a session-not-found one', async () => {
    const p = await protocol()
    const browser = Browser.for(p)
    await signInAt(p, browser, p.remoteB)
    const create = p.store.create.bind(p.store)
    p.store.create = async (record) => {
      if (record.kind === 'linked') throw new Error('ECONNRESET')
      return create(record)
    }
    const start = await p.remoteA.loginRedirect(browser.request(`${APP_A}/inbox`))
    browser.store(APP_A, start)
    const handOff = await browser.respond(start.headers.get('location')!)
    const landed = await browser.respond(handOff.headers.get('location')!)
    expect(landed.status).toBe(503)
    expect(await landed.text()).toContain('ERR_STORE_UNAVAILABLE')
  })
})

describe('refused tokens at the length limit', () => {
  it('are named by their keyed hash at exactly the longest token length', async () => {
    const { p, remote, events } = await auditedRemote()
    const browser = Browser.for(p)
    browser.store(APP_A, await remote.loginRedirect(browser.request(`${APP_A}/`)))
    await remote.handle(
      browser.request(`${APP_A}/share/callback?token=${'A'.repeat(MAX_TOKEN_LENGTH)}`),
    )
    await new Promise((done) => setTimeout(done, 20))
    const refused = events.filter((event) => event.type === 'token.refused')
    expect(refused).toHaveLength(1)
    expect(typeof (refused[0] as { ref: unknown }).ref).toBe('string')
  })
})

describe('the missing-state detail on https', () => {
  it('names another browser or a slow sign-in when the request did come over https', async () => {
    const details: string[] = []
    const remote = createShareRemote({
      syncKey: (await protocol()).syncKey,
      appUrl: 'https://app.example.com',
      hostUrl: 'https://login.example.com',
      store: (await protocol()).store,
      onError: (error) => details.push(error.detail ?? ''),
    })
    await remote.handle(new Request('https://app.example.com/share/callback?token=abc'))
    expect(details[0]).toMatch(/^no state cookie: /)
  })
})

describe('logout at a remote without a session', () => {
  it('still answers the redirect that clears the cookie', async () => {
    const p = await protocol()
    const outcome = await p.remoteA.handle(
      new Request(`${APP_A}/share/logout`, { method: 'POST', headers: { origin: APP_A } }),
    )
    if (outcome.type !== 'respond') throw new Error('expected a response')
    expect(outcome.response.status).toBe(303)
    expect(outcome.response.headers.getSetCookie()).toContain(
      `${p.remoteA.cookieName}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`,
    )
  })
})

describe('the error page of a step other than the callback', () => {
  async function failedLogin(cookie?: string) {
    const { remote, events } = await auditedRemote()
    // A POST to the login step: 405, refused before any token is involved.
    const response = (await remote.handle(
      new Request(`${APP_A}/share/login?token=${'A'.repeat(200)}`, {
        method: 'POST',
        headers: cookie ? { cookie } : {},
      }),
    )) as { type: 'respond'; response: Response }
    await new Promise((done) => setTimeout(done, 20))
    return { response: response.response, events }
  }

  it('audits no refused token, keeps the state cookie, and links to sign in again at /', async () => {
    const { response, events } = await failedLogin()
    expect(response.status).toBe(405)
    expect(events.filter((event) => event.type === 'token.refused')).toEqual([])
    expect(response.headers.getSetCookie()).toEqual([])
    const page = await response.text()
    expect(page).toContain('<a href="/share/login?return=%2F">Sign in again</a>')
  })

  it('links back to the page a sign-in under way wants', async () => {
    const p = await protocol()
    const start = await p.remoteA.loginRedirect(Browser.for(p).request(`${APP_A}/inbox`))
    const state = start.headers.getSetCookie()[0]!.split(';')[0]!
    const { response } = await failedLogin(state)
    expect(await response.text()).toContain('href="/share/login?return=%2Finbox"')
  })
})
