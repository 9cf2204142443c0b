import type { ShareHostOptions, ShareRemoteOptions } from '../config/options.js'
import { generateSyncKey } from '../keys/sync-key.js'
import { createMemoryStore, type MemoryStoreOptions } from '../memory/memory-store.js'
import { countingStore, createTestClock } from '../session/test-helpers.js'
import { createShareHost, type ShareHost } from './host.js'
import { createShareRemote, type ShareRemote } from './remote.js'
import type { ShareOutcome } from './session-reader.js'

/**
 * Test-only: a host and two remotes on one memory store and clock, and a
 * minimal browser with a cookie jar per origin, so handler tests can walk
 * the protocol with real Request and Response objects.
 */

export const HOST = 'http://idp.localhost:4000'
export const APP_A = 'http://app-a.localhost:4001'
export const APP_B = 'http://app-b.localhost:4002'

export async function protocol(
  overrides: {
    hostOrigin?: string
    appA?: string
    memory?: MemoryStoreOptions
    host?: Partial<ShareHostOptions>
  } = {},
) {
  const clock = createTestClock()
  const calls = { reads: 0, writes: 0 }
  const store = countingStore(createMemoryStore({ now: clock.now, ...overrides.memory }), calls)
  const syncKey = generateSyncKey()
  const hostOrigin = overrides.hostOrigin ?? HOST
  const appA = overrides.appA ?? APP_A
  const host = await createShareHost({
    syncKey,
    appUrl: hostOrigin,
    knownRemotes: [appA, APP_B],
    store,
    now: clock.now,
    ...overrides.host,
  })
  /** A remote on this protocol's store, keys and clock (App A unless `extra` says otherwise). */
  const remote = (extra: Partial<ShareRemoteOptions> = {}) =>
    createShareRemote({
      syncKey,
      appUrl: appA,
      hostUrl: hostOrigin,
      store,
      now: clock.now,
      ...extra,
    })
  const remoteA = remote()
  const remoteB = remote({ appUrl: APP_B })
  return { host, remoteA, remoteB, remote, store, calls, clock, syncKey }
}

export type Protocol = Awaited<ReturnType<typeof protocol>>

/** A browser: one cookie jar per origin; sends requests straight to the handlers. */
export class Browser {
  readonly jars = new Map<string, Map<string, string>>()
  constructor(private readonly apps: Map<string, ShareHost | ShareRemote>) {}

  static for(p: Protocol): Browser {
    return new Browser(
      new Map<string, ShareHost | ShareRemote>([
        [p.host.origin, p.host],
        [p.remoteA.origin, p.remoteA],
        [p.remoteB.origin, p.remoteB],
      ]),
    )
  }

  cookies(origin: string): Map<string, string> {
    const jar = this.jars.get(origin) ?? new Map<string, string>()
    this.jars.set(origin, jar)
    return jar
  }

  request(url: string, init: RequestInit = {}): Request {
    const target = new URL(url)
    const headers = new Headers(init.headers)
    const jar = this.cookies(target.origin)
    if (jar.size > 0)
      headers.set('cookie', [...jar].map(([name, value]) => `${name}=${value}`).join('; '))
    return new Request(target, { ...init, headers })
  }

  /** Applies Set-Cookie headers of a response from `origin` to the jar. */
  store(origin: string, response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';')
      const eq = pair.indexOf('=')
      const name = pair.slice(0, eq)
      const value = pair.slice(eq + 1)
      if (/Max-Age=0\b/.test(line)) this.cookies(origin).delete(name)
      else this.cookies(origin).set(name, value)
    }
  }

  /** Sends a request to the app at its origin and records its cookies. */
  async send(url: string, init: RequestInit = {}): Promise<ShareOutcome> {
    const origin = new URL(url).origin
    const app = this.apps.get(origin)
    if (!app) throw new Error(`no app at ${origin}`)
    const outcome = await app.handle(this.request(url, init))
    this.store(
      origin,
      outcome.type === 'respond'
        ? outcome.response
        : new Response(null, {
            headers: outcome.headers.map(([name, value]): [string, string] => [name, value]),
          }),
    )
    return outcome
  }

  async respond(url: string, init: RequestInit = {}): Promise<Response> {
    const outcome = await this.send(url, init)
    if (outcome.type !== 'respond') throw new Error(`expected a response from ${url}, got continue`)
    return outcome.response
  }
}

/**
 * The whole sign-in at a remote, as a browser walks it: the remote sends it to
 * the host, the host's login (signIn) runs if needed, the token comes back.
 * Returns the redirects each navigation made.
 */
export async function signInAt(
  p: Protocol,
  browser: Browser,
  remote: ShareRemote,
  wanted = '/dashboard',
) {
  const hops: string[][] = []
  const start = await remote.loginRedirect(browser.request(`${remote.origin}${wanted}`))
  browser.store(remote.origin, start)
  let location = start.headers.get('location')!
  let navigation = [location]
  let response = await browser.respond(location)
  if (response.headers.get('location')?.startsWith('/login')) {
    navigation.push(response.headers.get('location')!)
    hops.push(navigation)
    // The host app's own login form posts here; it resumes the hand-off at `next`.
    const next = new URL(response.headers.get('location')!, p.host.origin).searchParams.get('next')
    // The login form is posted by the host's own page: same origin.
    const login = browser.request(`${p.host.origin}/login`, {
      method: 'POST',
      headers: { origin: p.host.origin },
    })
    response = await p.host.signIn(login, { userId: 'alice', user: { name: 'Alice' }, next })
    browser.store(p.host.origin, response)
    location = new URL(response.headers.get('location')!, p.host.origin).href
    navigation = [location]
    response = await browser.respond(location)
  }
  const callback = response.headers.get('location')!
  navigation.push(callback)
  const landed = await browser.respond(callback)
  navigation.push(landed.headers.get('location') ?? '(none)')
  hops.push(navigation)
  return { callback, landed, hops }
}

/** The host's own login form posting to it (same origin), as `signIn` requires. */
export function loginPost(origin = HOST, headers: Record<string, string> = {}): Request {
  return new Request(`${origin}/login`, { method: 'POST', headers: { origin, ...headers } })
}
