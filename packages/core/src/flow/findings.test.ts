import { describe, expect, it } from 'vitest'
import { isShareError } from '../errors.js'
import { createMemoryStore } from '../memory/memory-store.js'
import { APP_A, Browser, HOST, loginPost, protocol, signInAt } from './test-harness.js'

// Regression tests for what the attack run found (issue 11): each failed before its fix.

describe('1. login CSRF at the host', () => {
  const crossSite = (origin: string | null, site: string | null) => {
    const headers: Record<string, string> = {}
    if (origin !== null) headers.origin = origin
    if (site !== null) headers['sec-fetch-site'] = site
    return new Request(`${HOST}/login`, { method: 'POST', headers })
  }

  it.each([
    ['a cross-site form', 'http://evil.localhost', 'cross-site'],
    ['a same-site sibling', 'http://evil.idp.localhost:4000', 'same-site'],
    ['no Origin, cross-site fetch metadata', null, 'cross-site'],
    ['no Origin and no fetch metadata', null, null],
    ['Origin "null" (a sandboxed frame)', 'null', 'cross-site'],
  ])('refuses %s: 403, no cookie, no session', async (_name, origin, site) => {
    const p = await protocol()
    const response = await p.host.signIn(crossSite(origin, site), { userId: 'mallory' })
    expect(response.status).toBe(403)
    expect(await response.text()).toContain('ERR_ORIGIN_MISMATCH')
    expect(response.headers.getSetCookie()).toEqual([])
    expect(await p.store.listUser('mallory')).toEqual([])
  })

  it('accepts the host page itself (Origin, or same-origin fetch metadata)', async () => {
    const p = await protocol()
    expect((await p.host.signIn(loginPost(), { userId: 'alice' })).status).toBe(303)
    const metadataOnly = crossSite(null, 'same-origin')
    expect((await p.host.signIn(metadataOnly, { userId: 'alice' })).status).toBe(303)
  })

  it('takes a cross-site POST only with allowCrossSiteSignIn', async () => {
    const p = await protocol({ host: { allowCrossSiteSignIn: true } })
    const response = await p.host.signIn(crossSite('https://login.partner.example', 'cross-site'), {
      userId: 'alice',
    })
    expect(response.status).toBe(303)
  })
})

describe('2. one account cannot fill the store for everyone', () => {
  it('a flood of sign-ins of one user keeps at most 100 of its devices; others still sign in', async () => {
    const p = await protocol({ memory: { maxSessions: 150 } })
    for (let i = 0; i < 300; i++) {
      const response = await p.host.signIn(loginPost(), { userId: 'mallory' })
      expect(response.status).toBe(303)
    }
    expect((await p.store.listUser('mallory')).length).toBe(100)
    expect((await p.host.signIn(loginPost(), { userId: 'alice' })).status).toBe(303)
  })

  it('the memory store bounds each user, so even a store without an engine cap stays fair', async () => {
    const store = createMemoryStore({ maxSessions: 50, maxRecordsPerUser: 10 })
    const { harness } = await import('../session/test-helpers.js')
    const { engine } = await harness({ store, maxSessionsPerUser: null })
    for (let i = 0; i < 10; i++) await engine.create({ userId: 'mallory' })
    const refused = await engine.create({ userId: 'mallory' }).catch((error: unknown) => error)
    expect(isShareError(refused) && refused.code).toBe('ERR_STORE_FULL')
    for (let i = 0; i < 10; i++) await engine.create({ userId: `user-${i}` })
  })
})

describe('3. a return path above U+00FF', () => {
  it('the host sends it percent-encoded, and keeps exactly one device', async () => {
    const p = await protocol()
    const response = await p.host.signIn(loginPost(), { userId: 'alice', next: '/Ā?q=ü 1' })
    expect(response.status).toBe(303)
    expect(response.headers.get('location')).toBe('/%C4%80?q=%C3%BC%201')
    expect(await p.store.listUser('alice')).toHaveLength(1)
  })

  it('a remote lands there after the hand-off, with its cookie', async () => {
    const p = await protocol()
    const browser = Browser.for(p)
    const start = await browser.respond(`${APP_A}/share/login?return=%2F%C4%80%F0%9F%98%80`)
    expect(start.status).toBe(302)
    const { landed } = await signInAt(p, browser, p.remoteA, '/Ā😀')
    expect(landed.status).toBe(303)
    expect(landed.headers.get('location')).toBe('/%C4%80%F0%9F%98%80')
    expect(landed.headers.getSetCookie()[0]).toMatch(/^share_session=/)
  })

  it('a lone surrogate is not a path: it falls back to /', async () => {
    const p = await protocol()
    const response = await p.host.signIn(loginPost(), { userId: 'alice', next: '/\uD800' })
    expect(response.headers.get('location')).toBe('/')
  })
})

describe('4. pages produced with a session are not cacheable', () => {
  it('a continue outcome with a session carries Cache-Control: no-store; without, nothing', async () => {
    const p = await protocol()
    const browser = Browser.for(p)
    const anonymous = await browser.send(`${APP_A}/page`)
    expect(anonymous.type === 'continue' && anonymous.headers).toEqual([])
    await signInAt(p, browser, p.remoteA)
    for (const url of [`${APP_A}/page`, `${HOST}/account`]) {
      const outcome = await browser.send(url)
      if (outcome.type !== 'continue') throw new Error('expected continue')
      expect(outcome.session).not.toBeNull()
      expect(outcome.headers).toContainEqual(['Cache-Control', 'no-store'])
    }
  })
})

describe('5. "log out everywhere" means every device, at a remote as at the host', () => {
  it('from a remote, it ends the other device too', async () => {
    const p = await protocol()
    const laptop = Browser.for(p)
    const phone = Browser.for(p)
    await signInAt(p, laptop, p.remoteA)
    await signInAt(p, phone, p.remoteA)
    expect(await p.store.listUser('alice')).toHaveLength(2)
    const out = await laptop.respond(`${APP_A}/share/logout`, {
      method: 'POST',
      headers: { origin: APP_A, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'everywhere=1',
    })
    expect(out.status).toBe(303)
    expect(await p.store.listUser('alice')).toEqual([])
    const phoneAtRemote = await phone.send(`${APP_A}/page`)
    expect(phoneAtRemote.type === 'continue' && phoneAtRemote.session).toBeNull()
  })

  it('a plain logout at a remote ends only that app on that device', async () => {
    const p = await protocol()
    const laptop = Browser.for(p)
    await signInAt(p, laptop, p.remoteA)
    await laptop.respond(`${APP_A}/share/logout`, { method: 'POST', headers: { origin: APP_A } })
    const atRemote = await laptop.send(`${APP_A}/page`)
    const atHost = await laptop.send(`${HOST}/account`)
    expect(atRemote.type === 'continue' && atRemote.session).toBeNull()
    expect(atHost.type === 'continue' && atHost.session?.userId).toBe('alice')
  })
})

describe('guards that no test could catch missing before', () => {
  it.each(['https://evil.example/', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)'])(
    'a remote never sends the browser to %s after sign-in: it lands on /',
    async (wanted) => {
      const p = await protocol()
      const browser = Browser.for(p)
      const start = await browser.respond(
        `${APP_A}/share/login?return=${encodeURIComponent(wanted)}`,
      )
      expect(start.status).toBe(302)
      const authorize = start.headers.get('location')!
      const login = await browser.respond(authorize)
      const next = new URL(login.headers.get('location')!, HOST).searchParams.get('next')
      const signedIn = await p.host.signIn(loginPost(), { userId: 'alice', next })
      browser.store(HOST, signedIn)
      const handOff = await browser.respond(new URL(signedIn.headers.get('location')!, HOST).href)
      const landed = await browser.respond(handOff.headers.get('location')!)
      expect([landed.status, landed.headers.get('location')]).toEqual([303, '/'])
    },
  )
})

describe('loop guard', () => {
  it('a remote that never keeps its session ends on a 403 page after at most 3 rounds', async () => {
    const p = await protocol()
    // Deliberately broken: the callback is served by an instance setting cookie `a_session`,
    // the pages by one reading `b_session`. Every sign-in "works", and the page never sees it.
    const { createShareRemote } = await import('./remote.js')
    const settings = {
      syncKey: p.syncKey,
      appUrl: APP_A,
      hostUrl: HOST,
      store: p.store,
      now: p.clock.now,
    }
    const redeemer = createShareRemote({ ...settings, cookieName: 'a_session' })
    const pages = createShareRemote({ ...settings, cookieName: 'b_session' })
    const split = {
      handle: (request: Request) =>
        (new URL(request.url).pathname.startsWith('/share/') ? redeemer : pages).handle(request),
    }
    const apps = new Map<string, unknown>([
      [HOST, p.host],
      [APP_A, split],
    ])
    const browser = new Browser(apps as ConstructorParameters<typeof Browser>[0])
    let signedInAtHost = false
    for (let round = 1; round <= 5; round++) {
      const page = await browser.send(`${APP_A}/page`)
      expect(page.type === 'continue' && page.session).toBeNull()
      const start = await pages.loginRedirect(browser.request(`${APP_A}/page`))
      browser.store(APP_A, start)
      if (start.status === 403) {
        expect(await start.text()).toContain('ERR_SIGN_IN_LOOP')
        expect(start.headers.get('location')).toBeNull()
        expect(round).toBe(4) // three full rounds went through, the fourth is stopped
        return
      }
      let hop = await browser.respond(start.headers.get('location')!)
      if (!signedInAtHost) {
        const next = new URL(hop.headers.get('location')!, HOST).searchParams.get('next')
        hop = await p.host.signIn(loginPost(), { userId: 'alice', next })
        browser.store(HOST, hop)
        hop = await browser.respond(new URL(hop.headers.get('location')!, HOST).href)
        signedInAtHost = true
      }
      const landed = await browser.respond(hop.headers.get('location')!)
      expect([landed.status, landed.headers.get('location')]).toEqual([303, '/page'])
    }
    throw new Error('the loop was never stopped')
  })

  it('a working remote drops the counter on its first signed-in page, so later sign-ins go on', async () => {
    const p = await protocol()
    const browser = Browser.for(p)
    for (let i = 0; i < 5; i++) {
      await signInAt(p, browser, p.remoteA)
      expect(browser.cookies(APP_A).get('share_loop')).toBe('1')
      const page = await browser.send(`${APP_A}/page`)
      expect(page.type === 'continue' && page.session?.userId).toBe('alice')
      expect(browser.cookies(APP_A).has('share_loop')).toBe(false)
      await browser.respond(`${APP_A}/share/logout`, { method: 'POST', headers: { origin: APP_A } })
    }
  })
})
