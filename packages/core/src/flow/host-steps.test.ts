import { describe, expect, it } from 'vitest'
import { encodeCallback } from '../callback/codec.js'
import { createChecksum } from '../checksum/checksum.js'
import { isShareError } from '../errors.js'
import { createKeyring } from '../keys/keyring.js'
import type { SessionEvent } from '../session/events.js'
import { checkAuthorizeTime } from './authorize.js'
import { createShareHost } from './host.js'
import type { ShareOutcome } from './session-reader.js'
import { APP_A, Browser, HOST, loginPost, protocol, signInAt } from './test-harness.js'

/** The host's steps at their edges: logout, the hand-off's parameters, sign-in, its pages. */

const NOW_SEC = Date.UTC(2030, 0, 1) / 1000

async function pageOf(outcome: ShareOutcome | Promise<ShareOutcome>) {
  const o = await outcome
  if (o.type !== 'respond') throw new Error('expected a response')
  return o.response
}

describe('logout at the host', () => {
  async function twoDevices() {
    const p = await protocol()
    const laptop = Browser.for(p)
    await signInAt(p, laptop, p.remoteA)
    const phone = Browser.for(p)
    await signInAt(p, phone, p.remoteA)
    const logout = (everywhere?: string) =>
      pageOf(
        laptop.send(`${HOST}/share/logout`, {
          method: 'POST',
          headers: {
            origin: HOST,
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: everywhere === undefined ? '' : `everywhere=${everywhere}`,
        }),
      )
    const signedIn = async (browser: Browser, url: string) => {
      const outcome = await browser.send(url)
      return outcome.type === 'continue' && outcome.session !== null
    }
    return { p, laptop, phone, logout, signedIn }
  }

  it('ends this device at the host and its apps, keeps the other device, and clears the cookie', async () => {
    const { p, laptop, phone, logout, signedIn } = await twoDevices()
    const response = await logout()
    expect(response.status).toBe(303)
    expect(response.headers.get('location')).toBe('/')
    expect(response.headers.getSetCookie()).toContain(
      `${p.host.cookieName}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`,
    )
    expect(await signedIn(laptop, `${APP_A}/page`)).toBe(false)
    expect(await signedIn(phone, `${HOST}/page`)).toBe(true)
    expect(await signedIn(phone, `${APP_A}/page`)).toBe(true)
  })

  it('with everywhere=1 ends every device', async () => {
    const { phone, logout, signedIn } = await twoDevices()
    expect((await logout('1')).status).toBe(303)
    expect(await signedIn(phone, `${HOST}/page`)).toBe(false)
    expect(await signedIn(phone, `${APP_A}/page`)).toBe(false)
  })
})

describe('the hand-off request', () => {
  async function signed(t: string, syncKey: string) {
    const callback = encodeCallback(`${APP_A}/share/callback`)
    const state = 'Zx81Qw0LmN3pR5tV7yB9dF'
    const checksum = await createChecksum(
      await createKeyring(syncKey),
      `${callback}.${state}.${Number(t)}`,
    )
    return { callback, state, checksum, t }
  }

  it('is refused as invalid when any of its four parameters is missing', async () => {
    const p = await protocol()
    const all = await signed(String(NOW_SEC), p.syncKey)
    for (const left of ['callback', 'state', 't', 'checksum'] as const) {
      const query = Object.entries(all)
        .filter(([name]) => name !== left)
        .map(([name, value]) => `${name}=${value}`)
        .join('&')
      const response = await pageOf(p.host.handle(new Request(`${HOST}/share/authorize?${query}`)))
      expect(response.status, left).toBe(400)
      expect(await response.text(), left).toContain('ERR_REQUEST_INVALID')
    }
  })

  it('is refused as a bad checksum when t is not a plain number, even if signed as one', async () => {
    const p = await protocol()
    for (const t of ['x1', '1x']) {
      const { callback, state, checksum } = await signed(t, p.syncKey)
      const url = `${HOST}/share/authorize?callback=${callback}&state=${state}&t=${t}&checksum=${checksum}`
      const response = await pageOf(p.host.handle(new Request(url)))
      expect(await response.text(), t).toContain('ERR_CHECKSUM_INVALID')
    }
  })

  it('takes only a plain number of seconds as its time', () => {
    for (const t of ['x1', '1x', '', '1.5']) {
      let code: string | undefined
      try {
        checkAuthorizeTime(t, NOW_SEC * 1000)
      } catch (error) {
        code = isShareError(error) ? error.code : 'not a ShareError'
      }
      expect(code, t).toBe('ERR_REQUEST_INVALID')
    }
    expect(checkAuthorizeTime(String(NOW_SEC), NOW_SEC * 1000)).toBe(NOW_SEC)
  })

  it('fails with a page that links back to the start page and is never framed', async () => {
    const p = await protocol()
    const response = await pageOf(p.host.handle(new Request(`${HOST}/share/authorize`)))
    expect(response.headers.get('x-frame-options')).toBe('DENY')
    expect(await response.text()).toContain('<a href="/">Back to the start page</a>')
  })
})

describe('signIn', () => {
  it("records the client's IP and user agent", async () => {
    const p = await protocol()
    await p.host.signIn(
      loginPost(HOST, { 'user-agent': 'Firefox/128.0 Linux' }),
      { userId: 'alice' },
      { clientIp: '203.0.113.7' },
    )
    const [listed] = await p.host.engine.list('alice')
    expect(listed?.client).toEqual({ ip: '203.0.113.7', userAgent: 'Firefox/128.0 Linux' })
  })

  it("throws on a bad user id (the app's bug), and answers a cross-site post with a host page", async () => {
    const p = await protocol()
    await expect(p.host.signIn(loginPost(HOST), { userId: '' })).rejects.toMatchObject({
      code: 'ERR_ARGUMENT_INVALID',
    })
    const crossSite = await p.host.signIn(loginPost('https://evil.example'), { userId: 'alice' })
    expect(crossSite.status).toBe(403)
    expect(crossSite.headers.get('x-frame-options')).toBe('DENY')
  })

  it('on a device that is signed in, ends its old session everywhere first', async () => {
    const events: SessionEvent[] = []
    const p = await protocol({ host: { onEvent: (event) => events.push(event) } })
    const first = await p.host.signIn(loginPost(HOST), { userId: 'alice' })
    const cookie = first.headers.getSetCookie()[0]!.split(';')[0]!
    await p.host.signIn(loginPost(HOST, { cookie }), { userId: 'alice' })
    expect(events.filter((e) => e.type === 'session.revoked')).toEqual([
      expect.objectContaining({ reason: 'logout-everywhere', count: 1 }),
    ])
    expect(await p.host.engine.list('alice')).toHaveLength(1)
  })
})

describe('the host API', () => {
  it("lists the signed-in user's devices", async () => {
    const p = await protocol()
    const browser = Browser.for(p)
    await signInAt(p, browser, p.remoteA)
    const outcome = await browser.send(`${HOST}/page`)
    if (outcome.type !== 'continue' || outcome.session === null)
      throw new Error('expected a session')
    const listed = await p.host.listSessions(outcome.session)
    expect(listed.map((s) => s.current)).toEqual([true])
  })

  it('serves the devices page as HTML or JSON, each with its content type', async () => {
    const p = await protocol()
    const host = createShareHost({
      syncKey: p.syncKey,
      appUrl: HOST,
      knownRemotes: [APP_A],
      store: p.store,
      now: p.clock.now,
      sessionsPage: true,
    })
    const signIn = await host.signIn(loginPost(HOST), { userId: 'alice' })
    const cookie = signIn.headers.getSetCookie()[0]!.split(';')[0]!
    const html = await pageOf(host.handle(new Request(`${HOST}/sessions`, { headers: { cookie } })))
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8')
    const json = await pageOf(
      host.handle(
        new Request(`${HOST}/sessions`, { headers: { cookie, accept: 'application/json' } }),
      ),
    )
    expect(json.headers.get('content-type')).toBe('application/json; charset=utf-8')
    expect(json.headers.get('cache-control')).toBe('no-store')
    expect(json.headers.get('x-frame-options')).toBe('DENY')
  })
})
