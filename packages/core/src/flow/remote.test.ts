import { describe, expect, it } from 'vitest'
import { APP_A, APP_B, Browser, HOST, protocol, signInAt } from './test-harness.js'

describe('the hand-off, end to end on Request/Response', () => {
  it('signs in at a remote through the host and lands on the wanted page, the token gone', async () => {
    const p = await protocol()
    const browser = Browser.for(p)
    const { landed, callback } = await signInAt(p, browser, p.remoteA, '/dashboard?tab=2')
    expect(landed.status).toBe(303)
    expect(landed.headers.get('location')).toBe('/dashboard?tab=2')
    expect(callback).toMatch(
      /^http:\/\/app-a\.localhost:4001\/share\/callback\?token=[A-Za-z0-9_-]+$/,
    )
    const outcome = await browser.send(`${APP_A}/dashboard`)
    expect(outcome.type === 'continue' && outcome.session?.userId).toBe('alice')
    expect(outcome.type === 'continue' && outcome.session?.user).toEqual({ name: 'Alice' })
  })

  it('never takes more than 3 redirects per navigation', async () => {
    const p = await protocol()
    const browser = Browser.for(p)
    const first = await signInAt(p, browser, p.remoteA)
    const second = await signInAt(p, browser, p.remoteB) // already signed in at the host
    for (const navigation of [...first.hops, ...second.hops]) {
      expect(navigation.length, navigation.join(' → ')).toBeLessThanOrEqual(3)
    }
    expect(second.hops).toHaveLength(1)
  })

  it('sets the session cookie HttpOnly, SameSite=Lax, Path=/, and marks redirects no-store/no-referrer', async () => {
    const p = await protocol()
    const { landed } = await signInAt(p, Browser.for(p), p.remoteA)
    const [session, clearedState] = landed.headers.getSetCookie()
    expect(session).toMatch(
      /^share_session=[A-Za-z0-9_-]{49}\.[A-Za-z0-9_-]{52}; Path=\/; HttpOnly; SameSite=Lax$/,
    )
    expect(clearedState).toMatch(/^share_state=; Path=\/; HttpOnly; SameSite=Lax; Max-Age=0$/)
    expect(landed.headers.get('cache-control')).toBe('no-store')
    expect(landed.headers.get('referrer-policy')).toBe('no-referrer')
  })

  it('uses Secure __Host- cookies on https', async () => {
    const p = await protocol({
      hostOrigin: 'https://idp.example.com',
      appA: 'https://app-a.example.com',
    })
    const start = await p.remoteA.loginRedirect(new Request('https://app-a.example.com/'))
    expect(start.headers.get('set-cookie')).toMatch(
      /^__Host-share_state=.*; Path=\/; HttpOnly; SameSite=Lax; Secure; Max-Age=600$/,
    )
  })

  it('builds the callback from configuration, never from Host or X-Forwarded-* headers', async () => {
    const p = await protocol()
    const request = new Request(`${APP_A}/x`, {
      headers: { host: 'evil.example', 'x-forwarded-host': 'evil.example' },
    })
    const start = await p.remoteA.loginRedirect(request)
    const callback = new URL(start.headers.get('location')!).searchParams.get('callback')!
    expect(atob(callback.replace(/-/g, '+').replace(/_/g, '/'))).toBe(`${APP_A}/share/callback`)
  })

  it('a second remote needs no second login', async () => {
    const p = await protocol()
    const browser = Browser.for(p)
    await signInAt(p, browser, p.remoteA)
    const b = await signInAt(p, browser, p.remoteB)
    expect(b.hops).toEqual([
      [
        expect.stringContaining('/share/authorize'),
        expect.stringContaining(`${APP_B}/share/callback`),
        '/dashboard',
      ],
    ])
  })
})

describe('token redemption failures: 403 (or 400/503), never a redirect', () => {
  async function minted() {
    const p = await protocol()
    const browser = Browser.for(p)
    await signInAt(p, browser, p.remoteB) // signs in at the host (and B), not yet at A
    const start = await p.remoteA.loginRedirect(browser.request(`${APP_A}/inbox`))
    browser.store(APP_A, start)
    const handOff = await browser.respond(start.headers.get('location')!)
    const callback = handOff.headers.get('location')!
    const token = new URL(callback).searchParams.get('token')!
    return { p, browser, callback, token }
  }

  async function expectRefused(
    response: Response,
    status: number,
    code: string,
    secrets: string[] = [],
  ) {
    expect(response.status).toBe(status)
    expect(response.headers.get('location')).toBeNull()
    expect(response.headers.get('cache-control')).toBe('no-store')
    const body = await response.text()
    expect(body).toContain(code)
    for (const secret of secrets) expect(body).not.toContain(secret)
  }

  it('refuses a used token in the same browser: redemption cleared its state cookie', async () => {
    const { browser, callback, token } = await minted()
    expect((await browser.respond(callback)).status).toBe(303)
    // The replay guard itself is proven by "single use" below, with the state cookie put back.
    const again = await browser.respond(callback)
    await expectRefused(again, 403, 'ERR_TOKEN_STATE', [token])
  })

  it('refuses a token replayed in another browser (no state cookie)', async () => {
    const { p, callback, token } = await minted()
    await expectRefused(await Browser.for(p).respond(callback), 403, 'ERR_TOKEN_STATE', [token])
  })

  it('refuses a token planted in another browser that has its own sign-in under way (login CSRF)', async () => {
    const { p, callback, token } = await minted()
    const victim = Browser.for(p)
    victim.store(APP_A, await p.remoteA.loginRedirect(victim.request(`${APP_A}/`)))
    await expectRefused(await victim.respond(callback), 403, 'ERR_TOKEN_STATE', [token])
    const outcome = await victim.send(`${APP_A}/`)
    expect(outcome.type === 'continue' && outcome.session).toBeNull()
  })

  it('refuses the same token twice even with the right state (single use)', async () => {
    const { browser, callback } = await minted()
    const stateCookie = browser.cookies(APP_A).get('share_state')!
    await browser.respond(callback)
    browser.cookies(APP_A).set('share_state', stateCookie)
    await expectRefused(await browser.respond(callback), 403, 'ERR_TOKEN_REPLAYED')
  })

  it('refuses an expired token', async () => {
    const { p, browser, callback } = await minted()
    p.clock.advance(66_000)
    await expectRefused(await browser.respond(callback), 403, 'ERR_TOKEN_EXPIRED')
  })

  it('refuses a token minted for another remote', async () => {
    const { browser, token } = await minted()
    const start = await browser.respond(`${APP_B}/share/login`)
    expect(start.status).toBe(302)
    await expectRefused(
      await browser.respond(`${APP_B}/share/callback?token=${token}`),
      403,
      'ERR_TOKEN_AUDIENCE',
    )
  })

  it('refuses a tampered, missing or repeated token', async () => {
    const { browser, token } = await minted()
    const flipped = `${token.slice(0, 40)}${token[40] === 'A' ? 'B' : 'A'}${token.slice(41)}`
    await expectRefused(
      await browser.respond(`${APP_A}/share/callback?token=${flipped}`),
      403,
      'ERR_TOKEN_BAD_SEAL',
    )
    await expectRefused(
      await browser.respond(`${APP_A}/share/callback`),
      403,
      'ERR_TOKEN_MALFORMED',
    )
    const twice = `${APP_A}/share/callback?token=${token}&token=${token}`
    await expectRefused(await browser.respond(twice), 400, 'ERR_REQUEST_INVALID', [token])
  })

  it('refuses a token whose host session ended before redemption', async () => {
    const { p, browser, callback } = await minted()
    await p.host.engine.revokeAll('alice')
    await expectRefused(await browser.respond(callback), 403, 'ERR_SESSION_NOT_FOUND')
  })

  it('answers 503 when the store is down, and signs nobody in', async () => {
    const { p, browser, callback } = await minted()
    const original = p.store.setIfAbsent
    p.store.setIfAbsent = () => Promise.reject(new Error('connection refused'))
    await expectRefused(await browser.respond(callback), 503, 'ERR_STORE_UNAVAILABLE')
    p.store.setIfAbsent = original
    const outcome = await browser.send(`${APP_A}/`)
    expect(outcome.type === 'continue' && outcome.session).toBeNull()
  })

  it('offers a link to sign in again, not a redirect, and clears the state cookie', async () => {
    const { p, browser, callback } = await minted()
    p.clock.advance(66_000)
    const response = await browser.respond(callback)
    expect(await response.text()).toContain('href="/share/login?return=%2Finbox"')
    expect(response.headers.getSetCookie()).toContain(
      'share_state=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0',
    )
  })

  it('answers JSON errors to clients that ask for JSON', async () => {
    const { browser } = await minted()
    const response = await browser.respond(`${APP_A}/share/callback`, {
      headers: { accept: 'application/json' },
    })
    expect(await response.json()).toEqual({
      error: { code: 'ERR_TOKEN_MALFORMED', message: 'The sign-in token is malformed' },
    })
  })
})

describe('logout at a remote', () => {
  async function signedIn() {
    const p = await protocol()
    const browser = Browser.for(p)
    await signInAt(p, browser, p.remoteA)
    await signInAt(p, browser, p.remoteB)
    return { p, browser }
  }

  const post = (everywhere: boolean, origin: string | null = APP_A): RequestInit => ({
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(origin === null ? {} : { origin }),
    },
    body: everywhere ? 'everywhere=1' : '',
  })

  it("ends this remote's session only", async () => {
    const { browser } = await signedIn()
    const response = await browser.respond(`${APP_A}/share/logout`, post(false))
    expect([response.status, response.headers.get('location')]).toEqual([303, '/'])
    const a = await browser.send(`${APP_A}/`)
    const b = await browser.send(`${APP_B}/`)
    expect(a.type === 'continue' && a.session).toBeNull()
    expect(b.type === 'continue' && b.session?.userId).toBe('alice')
  })

  it('logs out everywhere: the host and every remote', async () => {
    const { browser } = await signedIn()
    await browser.respond(`${APP_A}/share/logout`, post(true))
    for (const origin of [APP_B, HOST]) {
      const outcome = await browser.send(`${origin}/`)
      expect(outcome.type === 'continue' && outcome.session).toBeNull()
    }
  })

  it.each([
    ['a GET', { method: 'GET' }, 405, 'ERR_METHOD_NOT_ALLOWED'],
    ['a POST without Origin', post(true, null), 403, 'ERR_ORIGIN_MISMATCH'],
    ['a POST from another site', post(true, 'https://evil.example'), 403, 'ERR_ORIGIN_MISMATCH'],
  ] as const)('refuses %s and changes nothing', async (_name, init, status, code) => {
    const { browser } = await signedIn()
    const response = await browser.respond(`${APP_A}/share/logout`, init)
    expect([response.status, await response.text()]).toEqual([
      status,
      expect.stringContaining(code),
    ])
    const b = await browser.send(`${APP_B}/`)
    expect(b.type === 'continue' && b.session?.userId).toBe('alice')
  })

  it('refuses an oversized form body with 413', async () => {
    const { browser } = await signedIn()
    const init = { ...post(true), body: `everywhere=1&pad=${'x'.repeat(9000)}` }
    expect((await browser.respond(`${APP_A}/share/logout`, init)).status).toBe(413)
  })
})

describe('requests without a session', () => {
  it('continue with no session and drop a stale cookie', async () => {
    const p = await protocol()
    const browser = Browser.for(p)
    browser.cookies(APP_A).set('share_session', 'stale')
    const outcome = await browser.send(`${APP_A}/page`)
    expect(outcome.type).toBe('continue')
    if (outcome.type === 'continue') {
      expect(outcome.session).toBeNull()
      expect(outcome.headers).toEqual([
        ['Set-Cookie', 'share_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0'],
      ])
    }
  })

  it('start sign-in with a signed request to the host and a state cookie', async () => {
    const p = await protocol()
    const response = await p.remoteA.loginRedirect(new Request(`${APP_A}/wanted?x=1`))
    const location = new URL(response.headers.get('location')!)
    expect(response.status).toBe(302)
    expect(location.origin + location.pathname).toBe(`${HOST}/share/authorize`)
    expect([...location.searchParams.keys()]).toEqual(['callback', 'state', 't', 'checksum'])
    expect(location.searchParams.get('t')).toBe(String(Date.UTC(2030, 0, 1) / 1000))
    expect(response.headers.get('set-cookie')).toMatch(
      /^share_state=[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+; /,
    )
  })

  it('never redirects back to another site after sign-in (return path is local)', async () => {
    const p = await protocol()
    const browser = Browser.for(p)
    for (const target of ['https://evil.example/', '//evil.example', '/\\evil.example']) {
      const start = await browser.respond(
        `${APP_A}/share/login?return=${encodeURIComponent(target)}`,
      )
      expect(start.status).toBe(302)
    }
    const { landed } = await signInAt(p, browser, p.remoteA, '/ok')
    expect(landed.headers.get('location')).toBe('/ok')
  })
})
