import { describe, expect, it } from 'vitest'
import { encodeCallback } from '../callback/codec.js'
import { createChecksum } from '../checksum/checksum.js'
import type { ShareError } from '../errors.js'
import { createKeyring } from '../keys/keyring.js'
import { generateSyncKey } from '../keys/sync-key.js'
import { createMemoryStore } from '../memory/memory-store.js'
import { authorizeChecksumData } from './authorize.js'
import { createShareHost } from './host.js'
import { createShareRemote } from './remote.js'
import { APP_A, Browser, HOST, loginPost, protocol, signInAt } from './test-harness.js'

// Misconfigurations a new user makes (issue 12): each is refused with a fixed page for the
// browser, and the cause and fix for the developer through onError.

type Reported = { code: string; detail: string | undefined; path: string }

function collector() {
  const reports: Reported[] = []
  const onError = (error: ShareError, request: { path: string }) =>
    reports.push({ code: error.code, detail: error.detail, path: request.path })
  return { reports, onError }
}

describe('what a developer is told, and the browser is not', () => {
  it('a remote with another key: the checksum names the key ids, the page does not', async () => {
    const p = await protocol()
    const { reports, onError } = collector()
    const host = createShareHost({
      syncKey: p.syncKey,
      appUrl: HOST,
      knownRemotes: [APP_A],
      store: p.store,
      now: p.clock.now,
      onError,
    })
    const stranger = createShareRemote({
      syncKey: generateSyncKey(),
      appUrl: APP_A,
      hostUrl: HOST,
      store: p.store,
      now: p.clock.now,
    })
    const start = await stranger.loginRedirect(new Request(`${APP_A}/`))
    const page = await host.handle(new Request(start.headers.get('location')!))
    if (page.type !== 'respond') throw new Error('expected a page')
    expect(page.response.status).toBe(400)
    const [report] = reports
    expect(report?.code).toBe('ERR_CHECKSUM_INVALID')
    expect(report?.detail).toMatch(/not in this keyring .*different SHARE_SYNC_KEY/)
    expect(report?.path).toBe('/share/authorize') // no query: no checksum or state in logs
    const text = await page.response.text()
    expect(text).not.toContain('keyring')
    const keyId = /key id (\S+),/.exec(report!.detail!)![1]!
    expect(text).not.toContain(keyId)
  })

  it('an unknown callback: the refused origin, its scheme and the allow-list', async () => {
    const p = await protocol()
    const { reports, onError } = collector()
    const host = createShareHost({
      syncKey: p.syncKey,
      appUrl: HOST,
      knownRemotes: [APP_A],
      store: p.store,
      now: p.clock.now,
      onError,
    })
    const callback = encodeCallback('https://app-a.localhost:4001/share/callback')
    const state = 'Zx81Qw0LmN3pR5tV7yB9dF'
    const t = Date.UTC(2030, 0, 1) / 1000
    const data = authorizeChecksumData(callback, state, t)
    const checksum = await createChecksum(await createKeyring(p.syncKey), data)
    const url = `${HOST}/share/authorize?callback=${callback}&state=${state}&t=${t}&checksum=${checksum}`
    await host.handle(new Request(url))
    expect(reports[0]?.detail).toBe(
      `the callback origin "https://app-a.localhost:4001" (scheme https) is not in knownRemotes (SHARE_KNOWN_REMOTES): ${APP_A}`,
    )
  })

  it('an expired token: the measured lateness and the option that tunes it', async () => {
    const p = await protocol()
    const { reports, onError } = collector()
    const remote = p.remote({
      onError,
    })
    const browser = new Browser(
      new Map<string, never>([
        [HOST, p.host as never],
        [APP_A, remote as never],
      ]),
    )
    const start = await remote.loginRedirect(browser.request(`${APP_A}/`))
    browser.store(APP_A, start)
    const login = await browser.respond(start.headers.get('location')!)
    const next = new URL(login.headers.get('location')!, HOST).searchParams.get('next')
    const signedIn = await p.host.signIn(loginPost(), { userId: 'alice', next })
    browser.store(HOST, signedIn)
    const handOff = await browser.respond(new URL(signedIn.headers.get('location')!, HOST).href)
    p.clock.advance(80_000)
    const late = await browser.respond(handOff.headers.get('location')!)
    expect(late.status).toBe(403)
    expect(reports[0]).toMatchObject({ code: 'ERR_TOKEN_EXPIRED', path: '/share/callback' })
    expect(reports[0]?.detail).toMatch(/expired 20s ago, past the 5s leeway \(tokenLeewaySec\)/)
  })

  it('a remote on another store: the token is good, the session is not in this store', async () => {
    const p = await protocol()
    const { reports, onError } = collector()
    const elsewhere = createShareRemote({
      syncKey: p.syncKey,
      appUrl: APP_A,
      hostUrl: HOST,
      store: createMemoryStore({ now: p.clock.now }),
      now: p.clock.now,
      onError,
    })
    const browser = new Browser(
      new Map<string, never>([
        [HOST, p.host as never],
        [APP_A, elsewhere as never],
      ]),
    )
    const { landed } = await signInAt(p, browser, elsewhere)
    expect(landed.status).toBe(403)
    expect(reports[0]?.code).toBe('ERR_SESSION_NOT_FOUND')
    expect(reports[0]?.detail).toMatch(/different stores or key prefixes/)
  })

  it('an https appUrl served over http: the dropped Secure cookie is named', async () => {
    const { reports, onError } = collector()
    const remote = createShareRemote({
      syncKey: generateSyncKey(),
      appUrl: 'https://app.example.com',
      hostUrl: 'https://login.example.com',
      store: createMemoryStore(),
      onError,
    })
    await remote.handle(new Request('http://app.example.com/share/callback?token=abc'))
    expect(reports[0]?.code).toBe('ERR_TOKEN_STATE')
    expect(reports[0]?.detail).toMatch(/came over http: but appUrl is https:\/\/app.example.com/)
  })

  it('a browser at another host name than appUrl: cookies are per host, so it is named', async () => {
    const { reports, onError } = collector()
    const remote = createShareRemote({
      syncKey: generateSyncKey(),
      appUrl: 'http://app.localhost:4001',
      hostUrl: 'http://host.localhost:4000',
      store: createMemoryStore(),
      onError,
    })
    await remote.handle(
      new Request('http://localhost:4001/share/callback?token=abc', {
        headers: { host: 'localhost:4001' },
      }),
    )
    expect(reports[0]?.detail).toMatch(
      /the browser is at "localhost:4001" but appUrl is http:\/\/app.localhost:4001/,
    )
  })

  it('development mode logs to the console and shows the detail on the page; off by default', async () => {
    const make = (development: boolean) =>
      createShareRemote({
        syncKey: generateSyncKey(),
        appUrl: 'https://app.example.com',
        hostUrl: 'https://login.example.com',
        store: createMemoryStore(),
        development,
      })
    const request = () => new Request('http://app.example.com/share/callback?token=abc')
    const warned: string[] = []
    const original = console.warn
    console.warn = (line: string) => void warned.push(line)
    try {
      const quiet = await make(false).handle(request())
      const loud = await make(true).handle(request())
      if (quiet.type !== 'respond' || loud.type !== 'respond') throw new Error('expected pages')
      expect(await quiet.response.text()).not.toContain('appUrl')
      expect(await loud.response.text()).toContain('appUrl is https://app.example.com')
      expect(warned).toEqual([
        expect.stringMatching(/^\[share\] GET \/share\/callback: ERR_TOKEN_STATE: /),
      ])
    } finally {
      console.warn = original
    }
  })

  it('an onError that throws never turns a page into a crash', async () => {
    const remote = createShareRemote({
      syncKey: generateSyncKey(),
      appUrl: APP_A,
      hostUrl: HOST,
      store: createMemoryStore(),
      onError: () => {
        throw new Error('log sink down')
      },
    })
    const outcome = await remote.handle(new Request(`${APP_A}/share/callback?token=abc`))
    expect(outcome.type === 'respond' && outcome.response.status).toBe(403)
  })

  it('an unexpected error reaches onError as ERR_INTERNAL with its cause, the page says nothing', async () => {
    const p = await protocol()
    const { reports, onError } = collector()
    const remote = p.remote({
      onError,
      onSignIn: () => {
        throw new RangeError('local user table is read-only')
      },
    })
    const browser = new Browser(
      new Map<string, never>([
        [HOST, p.host as never],
        [APP_A, remote as never],
      ]),
    )
    const { landed } = await signInAt(p, browser, remote)
    expect(landed.status).toBe(500)
    expect(reports[0]).toEqual({
      code: 'ERR_INTERNAL',
      detail: 'RangeError: local user table is read-only',
      path: '/share/callback',
    })
    expect(await landed.text()).not.toContain('read-only')
  })
})
