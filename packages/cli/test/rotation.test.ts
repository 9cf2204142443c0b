// Key rotation walked end to end (docs/protocol.md#key-rotation): live sessions at the host and
// two remotes, tokens in flight, host and remotes on different keyrings during the overlap. No
// live session is lost; no token or cookie outlives its key's removal; `share keys check`
// reports each step.
import {
  createMemoryStore,
  createShareHost,
  createShareRemote,
  generateSyncKey,
  type ShareHost,
  type ShareRemote,
} from '@share/core'
import { createKeyring } from '@share/core/token'
import { describe, expect, it } from 'vitest'
import { share } from './bin.ts'

const HOST = 'http://idp.localhost:4000'
const A = 'http://app-a.localhost:4001'
const B = 'http://app-b.localhost:4002'
type App = ShareHost | ShareRemote

/** One browser: a cookie jar per origin; requests go straight to the handlers. */
class Browser {
  readonly jars = new Map<string, Map<string, string>>()
  jar(origin: string) {
    const jar = this.jars.get(origin) ?? new Map<string, string>()
    this.jars.set(origin, jar)
    return jar
  }
  request(url: string, init: RequestInit = {}): Request {
    const headers = new Headers(init.headers)
    const jar = this.jar(new URL(url).origin)
    if (jar.size > 0) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '))
    return new Request(url, { ...init, headers })
  }
  keep(origin: string, lines: string[]) {
    for (const line of lines) {
      const pair = line.split(';')[0]!
      const name = pair.slice(0, pair.indexOf('='))
      if (/Max-Age=0\b/.test(line)) this.jar(origin).delete(name)
      else this.jar(origin).set(name, pair.slice(pair.indexOf('=') + 1))
    }
  }
  /** A page at `app`: who it sees (null for nobody); keeps any cookie it sets. */
  async whoAt(app: App, url: string): Promise<string | null> {
    const outcome = await app.handle(this.request(url))
    if (outcome.type !== 'continue') throw new Error(`${url} answered ${outcome.response.status}`)
    this.keep(
      new URL(url).origin,
      outcome.headers.filter(([n]) => n === 'Set-Cookie').map(([, v]) => v),
    )
    return outcome.session?.userId ?? null
  }
  async respond(app: App, url: string, init: RequestInit = {}): Promise<Response> {
    const outcome = await app.handle(this.request(url, init))
    if (outcome.type !== 'respond') throw new Error(`${url} did not answer`)
    this.keep(new URL(url).origin, outcome.response.headers.getSetCookie())
    return outcome.response
  }
}

const keysCheck = async (keys: string[]) => {
  const result = await share(['keys', 'check'], { env: { SHARE_SYNC_KEY: keys.join(',') } })
  expect(result.code).toBe(0)
  return result.stdout
}
const idOf = async (key: string) => (await createKeyring(key)).keyIds[0]!

describe('key rotation, end to end', () => {
  it('add the new key second, make it first, wait, drop the old one: nobody is signed out', async () => {
    const store = createMemoryStore()
    const [k1, k2] = [generateSyncKey(), generateSyncKey()]
    const [id1, id2] = [await idOf(k1), await idOf(k2)]
    const hostOn = (keys: string[]) =>
      createShareHost({ syncKey: keys, appUrl: HOST, knownRemotes: [A, B], store })
    const remoteOn = (appUrl: string, keys: string[]) =>
      createShareRemote({ syncKey: keys, appUrl, hostUrl: HOST, store })

    /** A full sign-in at `remote` through `host` (signing in at the host first if needed). */
    async function signIn(browser: Browser, host: ShareHost, remote: ShareRemote) {
      const start = await remote.loginRedirect(browser.request(`${remote.origin}/`))
      browser.keep(remote.origin, start.headers.getSetCookie())
      let hop = await browser.respond(host, start.headers.get('location')!)
      if (hop.headers.get('location')!.startsWith('/login')) {
        const next = new URL(hop.headers.get('location')!, HOST).searchParams.get('next')
        const login = browser.request(`${HOST}/login`, {
          method: 'POST',
          headers: { origin: HOST },
        })
        const signedIn = await host.signIn(login, { userId: 'alice', next })
        browser.keep(HOST, signedIn.headers.getSetCookie())
        hop = await browser.respond(host, new URL(signedIn.headers.get('location')!, HOST).href)
      }
      return hop.headers.get('location')! // the callback with its token
    }
    const redeem = async (browser: Browser, remote: ShareRemote, callback: string) =>
      (await browser.respond(remote, callback)).status

    // Step 0: everyone on K1; alice signed in at the host and both remotes; an idle device too.
    let [host, a, b] = [hostOn([k1]), remoteOn(A, [k1]), remoteOn(B, [k1])]
    expect(await keysCheck([k1])).toMatch(new RegExp(`#1 +key id ${id1} +seals and opens`))
    const laptop = new Browser()
    expect(await redeem(laptop, a, await signIn(laptop, host, a))).toBe(303)
    expect(await redeem(laptop, b, await signIn(laptop, host, b))).toBe(303)
    const idle = new Browser()
    expect(await redeem(idle, a, await signIn(idle, host, a))).toBe(303)

    // Step 1: add K2 second, deployed one app at a time: B still on [K1] during the overlap.
    host = hostOn([k1, k2])
    a = remoteOn(A, [k1, k2])
    const out1 = await keysCheck([k1, k2])
    expect(out1).toMatch(new RegExp(`#1 +key id ${id1} +seals and opens`))
    expect(out1).toMatch(new RegExp(`#2 +key id ${id2} +opens only`))
    const inFlightK1 = await signIn(laptop, host, b) // sealed with K1, not yet redeemed
    expect(await laptop.whoAt(b, `${B}/`)).toBe('alice') // B on [K1] still sees everyone
    b = remoteOn(B, [k1, k2])
    expect(await redeem(laptop, b, inFlightK1)).toBe(303) // a K1 token across the deploy
    for (const [app, url] of [
      [host, `${HOST}/`],
      [a, `${A}/`],
      [b, `${B}/`],
    ] as const) {
      expect(await laptop.whoAt(app, url)).toBe('alice')
    }

    // Step 2: make K2 first, again one app at a time: the host first, B last.
    host = hostOn([k2, k1])
    expect(await keysCheck([k2, k1])).toMatch(new RegExp(`#1 +key id ${id2} +seals and opens`))
    const inFlightK2 = await signIn(laptop, host, b) // sealed with K2; B still [K1, K2]
    expect(await redeem(laptop, b, inFlightK2)).toBe(303)
    a = remoteOn(A, [k2, k1])
    b = remoteOn(B, [k2, k1])
    // Active sessions get their cookies re-signed with K2 on their next request.
    for (const [app, url] of [
      [host, `${HOST}/`],
      [a, `${A}/`],
      [b, `${B}/`],
    ] as const) {
      expect(await laptop.whoAt(app, url)).toBe('alice')
      expect(await laptop.whoAt(app, url)).toBe('alice')
    }
    // A K1 token someone got from a host not yet redeployed, redeemed after K1 is gone.
    const phone = new Browser()
    const lastK1Token = await signIn(phone, hostOn([k1]), remoteOn(A, [k1]))

    // Wait one token TTL (and restart: a new keyring is a new verified-cookie cache), then drop K1.
    host = hostOn([k2])
    a = remoteOn(A, [k2])
    b = remoteOn(B, [k2])
    expect(await keysCheck([k2])).toMatch(new RegExp(`#1 +key id ${id2} +seals and opens`))
    // No live session was lost: the laptop is still alice at the host and both remotes.
    for (const [app, url] of [
      [host, `${HOST}/`],
      [a, `${A}/`],
      [b, `${B}/`],
    ] as const) {
      expect(await laptop.whoAt(app, url)).toBe('alice')
    }
    // Nothing outlives K1: a K1 token is refused, and the idle device's K1 cookie no longer works.
    const refused = await phone.respond(a, lastK1Token)
    expect(refused.status).toBe(403)
    expect(await refused.text()).toContain('ERR_TOKEN_UNKNOWN_KEY')
    expect(await idle.whoAt(a, `${A}/`)).toBeNull()
  }, 60_000)
})
