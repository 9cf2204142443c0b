import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { encodeCallback } from '../callback/codec.js'
import { createChecksum } from '../checksum/checksum.js'
import { createKeyring } from '../keys/keyring.js'
import { authorizeChecksumData } from './authorize.js'
import { APP_A, Browser, HOST, loginPost, protocol, signInAt } from './test-harness.js'
import { withToken } from './with-token.js'

/** A hand-off request to the host as a remote would sign it, for any callback. */
async function handOffUrl(
  syncKey: string,
  callback: string,
  state = 'Zx81Qw0LmN3pR5tV7yB9dF',
  issuedSec = TEST_CLOCK_START_SEC,
) {
  const encoded = encodeCallback(callback)
  const data = authorizeChecksumData(encoded, state, issuedSec)
  const checksum = await createChecksum(await createKeyring(syncKey), data)
  return `${HOST}/share/authorize?callback=${encoded}&state=${state}&t=${issuedSec}&checksum=${checksum}`
}

/** The test clock's start (2030-01-01), in epoch seconds. */
const TEST_CLOCK_START_SEC = Date.UTC(2030, 0, 1) / 1000

async function signedInHost() {
  const p = await protocol()
  const browser = Browser.for(p)
  await signInAt(p, browser, p.remoteA)
  return { p, browser }
}

async function expectPage(response: Response, status: number, code: string) {
  expect(response.status).toBe(status)
  expect(response.headers.get('location')).toBeNull()
  expect(await response.text()).toContain(code)
}

describe('the host hand-off', () => {
  it('sends a signed-out browser to its login page, writing nothing to the store', async () => {
    const p = await protocol()
    const url = await handOffUrl(p.syncKey, `${APP_A}/share/callback`)
    Object.assign(p.calls, { reads: 0, writes: 0 })
    const response = await Browser.for(p).respond(url)
    expect(response.status).toBe(303)
    const next = new URL(response.headers.get('location')!, HOST)
    expect(next.pathname).toBe('/login')
    expect(next.searchParams.get('next')).toBe(url.slice(HOST.length))
    expect(p.calls.writes).toBe(0)
  })

  it('adds exactly one token before the fragment, keeping other parameters as spelled', async () => {
    const { p, browser } = await signedInHost()
    const callback = `${APP_A}/share/callback?token=planted&a=b%20c&x=1#frag`
    const response = await browser.respond(await handOffUrl(p.syncKey, callback))
    expect(response.status).toBe(303)
    const location = response.headers.get('location')!
    expect(location).toMatch(
      /^http:\/\/app-a\.localhost:4001\/share\/callback\?a=b%20c&x=1&token=[A-Za-z0-9_-]+#frag$/,
    )
    expect(new URL(location).searchParams.getAll('token')).toHaveLength(1)
  })

  it('marks the hand-off no-store, no-referrer, unframeable, and sends no CORS headers', async () => {
    const { p, browser } = await signedInHost()
    const url = await handOffUrl(p.syncKey, `${APP_A}/share/callback`)
    const response = await browser.respond(url, { headers: { origin: 'https://evil.example' } })
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(response.headers.get('referrer-policy')).toBe('no-referrer')
    expect(response.headers.get('content-security-policy')).toBe("frame-ancestors 'none'")
    expect(
      [...response.headers.keys()].filter((name) => name.startsWith('access-control')),
    ).toEqual([])
  })

  it.each([
    ['an unknown origin', 'https://evil.example/share/callback', 'ERR_CALLBACK_NOT_ALLOWED'],
    ['userinfo', 'http://app-a.localhost:4001@evil.example/', 'ERR_CALLBACK_INVALID'],
    ['a backslash', 'http:\\\\app-a.localhost:4001/', 'ERR_CALLBACK_INVALID'],
    ['javascript:', 'javascript:alert(1)', 'ERR_CALLBACK_INVALID'],
    ['another port', 'http://app-a.localhost:4009/cb', 'ERR_CALLBACK_NOT_ALLOWED'],
  ])(
    'answers 400 for a signed callback to %s, never redirecting',
    async (_name, callback, code) => {
      const { p, browser } = await signedInHost()
      await expectPage(await browser.respond(await handOffUrl(p.syncKey, callback)), 400, code)
    },
  )

  it('answers 400 for a bad or missing checksum, or a repeated parameter', async () => {
    const { p, browser } = await signedInHost()
    const good = await handOffUrl(p.syncKey, `${APP_A}/share/callback`)
    const forged = await handOffUrl(
      'share_sk1_AAcOFRwjKjE4P0ZNVFtiaXB3foWMk5qhqK-2vcTL0tk',
      `${APP_A}/share/callback`,
    )
    await expectPage(await browser.respond(forged), 400, 'ERR_CHECKSUM_INVALID')
    await expectPage(
      await browser.respond(good.replace(/&checksum=.*/, '')),
      400,
      'ERR_REQUEST_INVALID',
    )
    await expectPage(await browser.respond(`${good}&state=again`), 400, 'ERR_REQUEST_INVALID')
    await expectPage(await browser.respond(good, { method: 'POST' }), 405, 'ERR_METHOD_NOT_ALLOWED')
  })

  it('refuses a signed authorize URL past its 10 minutes or from the future, and a changed time', async () => {
    const { p, browser } = await signedInHost()
    const callback = `${APP_A}/share/callback`
    const at = (issued: number) => handOffUrl(p.syncKey, callback, undefined, issued)
    expect((await browser.respond(await at(TEST_CLOCK_START_SEC - 600))).status).toBe(303)
    const old = await browser.respond(await at(TEST_CLOCK_START_SEC - 601))
    await expectPage(old, 400, 'ERR_REQUEST_EXPIRED')
    expect((await browser.respond(await at(TEST_CLOCK_START_SEC + 30))).status).toBe(303)
    await expectPage(
      await browser.respond(await at(TEST_CLOCK_START_SEC + 31)),
      400,
      'ERR_REQUEST_EXPIRED',
    )
    // A captured URL cannot be refreshed: the time is under the checksum.
    const stale = await at(TEST_CLOCK_START_SEC - 3600)
    const refreshed = stale.replace(/&t=\d+/, `&t=${TEST_CLOCK_START_SEC}`)
    await expectPage(await browser.respond(refreshed), 400, 'ERR_CHECKSUM_INVALID')
    p.clock.advance(601_000)
    await expectPage(
      await browser.respond(await at(TEST_CLOCK_START_SEC)),
      400,
      'ERR_REQUEST_EXPIRED',
    )
  })

  it('never answers 5xx or redirects for arbitrary query strings', async () => {
    const { browser } = await signedInHost()
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 300 }), async (query) => {
        const response = await browser.respond(`${HOST}/share/authorize?${encodeURI(query)}`)
        expect(response.status).toBeGreaterThanOrEqual(400)
        expect(response.status).toBeLessThan(500)
      }),
      { numRuns: 200 },
    )
  })
})

describe('host pages and sign-in', () => {
  it('puts frame-ancestors on every host page', async () => {
    const p = await protocol()
    const outcome = await Browser.for(p).send(`${HOST}/sessions`)
    expect(outcome.type === 'continue' && outcome.headers).toContainEqual([
      'Content-Security-Policy',
      "frame-ancestors 'none'",
    ])
  })

  it.each([
    'https://evil.example/',
    '//evil.example/x',
    '/\\evil.example',
    'javascript:alert(1)',
    '',
  ])('sends sign-in to / instead of %j', async (next) => {
    const p = await protocol()
    const response = await p.host.signIn(loginPost(), {
      userId: 'alice',
      next,
    })
    expect(response.headers.get('location')).toBe('/')
  })

  it("replaces the device's previous session when signing in again", async () => {
    const { p, browser } = await signedInHost()
    const again = await p.host.signIn(
      browser.request(`${HOST}/login`, { method: 'POST', headers: { origin: HOST } }),
      {
        userId: 'alice',
      },
    )
    browser.store(HOST, again)
    expect(await p.host.engine.list('alice')).toHaveLength(1)
  })

  it('answers a 503 page, not an exception, when the store is down at sign-in', async () => {
    const p = await protocol()
    p.store.create = () => Promise.reject(new Error('connection refused'))
    const response = await p.host.signIn(loginPost(), {
      userId: 'alice',
    })
    expect(response.status).toBe(503)
    expect(response.headers.get('set-cookie')).toBeNull()
  })

  it('keeps a remember-me session across browser restarts (a Max-Age cookie)', async () => {
    const p = await protocol()
    const request = loginPost()
    const response = await p.host.signIn(request, { userId: 'alice', rememberMe: true })
    expect(response.headers.get('set-cookie')).toMatch(/; Max-Age=2592000$/)
  })
})

describe('session management at the host', () => {
  const form = (body: string, origin = HOST): RequestInit => ({
    method: 'POST',
    headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
    body,
  })

  it('revokes one device by handle', async () => {
    const { p, browser } = await signedInHost()
    const other = await p.host.signIn(loginPost(), {
      userId: 'alice',
    })
    expect(other.status).toBe(303)
    const [first] = await p.host.engine.list('alice')
    const response = await browser.respond(
      `${HOST}/share/sessions/revoke`,
      form(`handle=${first!.handle}`),
    )
    expect([response.status, response.headers.get('location')]).toEqual([303, '/sessions'])
    expect(await p.host.engine.list('alice')).toHaveLength(1)
  })

  it('revokes the other devices and keeps this one', async () => {
    const { p, browser } = await signedInHost()
    await p.host.signIn(loginPost(), { userId: 'alice' })
    await browser.respond(`${HOST}/share/sessions/revoke-others`, form(''))
    const outcome = await browser.send(`${HOST}/`)
    expect(outcome.type === 'continue' && outcome.session?.userId).toBe('alice')
    expect(await p.host.engine.list('alice')).toHaveLength(1)
  })

  it('logs out everywhere: every device and remote, and the cookie is cleared', async () => {
    const { p, browser } = await signedInHost()
    const response = await browser.respond(`${HOST}/share/sessions/revoke-all`, form(''))
    expect(response.headers.get('set-cookie')).toMatch(/^share_session=; .*Max-Age=0$/)
    expect(await p.host.engine.list('alice')).toEqual([])
    const a = await browser.send(`${APP_A}/`)
    expect(a.type === 'continue' && a.session).toBeNull()
  })

  it('refuses management from another site, by GET, or without a session', async () => {
    const { p, browser } = await signedInHost()
    await expectPage(
      await browser.respond(`${HOST}/share/sessions/revoke-all`, form('', 'https://evil.example')),
      403,
      'ERR_ORIGIN_MISMATCH',
    )
    await expectPage(await browser.respond(`${HOST}/share/logout`), 405, 'ERR_METHOD_NOT_ALLOWED')
    await expectPage(
      await Browser.for(p).respond(`${HOST}/share/logout`, form('')),
      403,
      'ERR_SESSION_NOT_FOUND',
    )
    expect(await p.host.engine.list('alice')).toHaveLength(1)
  })
})

describe('withToken', () => {
  it.each([
    ['http://a.example/cb', 'http://a.example/cb?token=T'],
    ['http://a.example/cb?', 'http://a.example/cb?token=T'],
    ['http://a.example/cb?token=x&token=y', 'http://a.example/cb?token=T'],
    ['http://a.example/cb?%74oken=x&b=1', 'http://a.example/cb?b=1&token=T'],
    ['http://a.example/cb?tokens=1#h', 'http://a.example/cb?tokens=1&token=T#h'],
  ])('%s → %s', (callback, expected) => {
    expect(withToken(new URL(callback), 'T')).toBe(expected)
  })
})
