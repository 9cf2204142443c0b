import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { ShareOutcome } from './session-reader.js'
import { APP_A, APP_B, Browser, HOST, protocol, signInAt } from './test-harness.js'

// Hostile requests against both handlers: whatever arrives, the answer is a 4xx page or a
// continue, never a 5xx; a redirect only ever goes to this app, the host, or an allowed remote;
// and nobody gets a session without redeeming a token.

const ALLOWED_ORIGINS = new Set([HOST, APP_A, APP_B])

const methods = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD')
const share = ['/share/login', '/share/callback', '/share/logout', '/share/authorize']
const paths = fc.oneof(
  fc.constantFrom(...share, '/share/sessions/revoke', '/share/sessions/revoke-all', '/'),
  fc
    .constantFrom(...share)
    .chain((path) =>
      fc.constantFrom(
        `${path}/`,
        `/${path}`,
        path.toUpperCase(),
        `${path};x`,
        `${path}%2f`,
        `/.${path}`,
      ),
    ),
  fc.webPath(),
)
const queryValue = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.base64String({ maxLength: 300 }),
  fc.constant('https://evil.example/'),
  fc.constant('%2F%2Fevil.example'),
)
const queries = fc
  .array(
    fc.tuple(
      fc.constantFrom('callback', 'state', 'checksum', 't', 'token', 'return', 'next', 'x'),
      queryValue,
    ),
    {
      maxLength: 6,
    },
  )
  .map((pairs) => pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&'))
const cookieHeaders = fc.oneof(
  fc.constant(''),
  fc.string({ maxLength: 200 }),
  fc
    .array(
      fc.tuple(
        fc.constantFrom('share_session', 'share_state', 'share_loop', 'x', '__Host-share_session'),
        fc.oneof(fc.string({ maxLength: 120 }), fc.base64String({ maxLength: 160 })),
      ),
      { maxLength: 5 },
    )
    .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('; ')),
  fc.constant(`share_session=${'A'.repeat(16_400)}`),
)
const bodies = fc.oneof(
  fc.constant(undefined),
  fc.string({ maxLength: 200 }),
  fc.constant('everywhere=1&handle=x'),
  fc.constant('a'.repeat(9000)),
)
const origins = fc.constantFrom(undefined, 'null', 'https://evil.example', HOST, APP_A)

const request = fc.record({
  app: fc.constantFrom(HOST, APP_A),
  method: methods,
  path: paths,
  query: queries,
  cookie: cookieHeaders,
  body: bodies,
  origin: origins,
  contentType: fc.constantFrom(undefined, 'application/x-www-form-urlencoded', 'text/plain'),
})

function check(outcome: ShareOutcome, app: string): void {
  if (outcome.type === 'continue') {
    // Nobody in this run ever redeemed a token: no request may come out signed in.
    expect(outcome.session).toBeNull()
    return
  }
  const { status } = outcome.response
  expect(status, `status ${status}`).toBeLessThan(500)
  const location = outcome.response.headers.get('location')
  if (location !== null) {
    const target = new URL(location, app)
    expect(ALLOWED_ORIGINS.has(target.origin), `redirect to ${target.href}`).toBe(true)
  }
}

describe('hostile HTTP against the handlers (fast-check)', () => {
  it('never a 5xx, never a redirect off the allow-list, never a session without a token', async () => {
    const p = await protocol()
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const headers = new Headers()
        if (r.cookie) headers.set('cookie', r.cookie.replace(/[\r\n\0]/g, ''))
        if (r.origin) headers.set('origin', r.origin)
        if (r.contentType) headers.set('content-type', r.contentType)
        const bodyAllowed = r.method !== 'GET' && r.method !== 'HEAD'
        let url: string
        try {
          url = new URL(`${r.path}${r.query ? `?${r.query}` : ''}`, r.app).href
        } catch {
          return // not a URL a client can send
        }
        const init: RequestInit = { method: r.method, headers }
        if (bodyAllowed && r.body !== undefined) init.body = r.body
        const handler = r.app === HOST ? p.host : p.remoteA
        check(await handler.handle(new Request(url, init)), r.app)
      }),
      { numRuns: 400 },
    )
  })

  it('a signed-in browser stays itself: hostile extras never switch or widen the session', async () => {
    const p = await protocol()
    const browser = Browser.for(p)
    await signInAt(p, browser, p.remoteA)
    const cookies = [...browser.cookies(APP_A)].map(([k, v]) => `${k}=${v}`).join('; ')
    await fc.assert(
      fc.asyncProperty(cookieHeaders, fc.webPath(), async (extra, path) => {
        let url: string
        try {
          url = new URL(path, APP_A).href
        } catch {
          return
        }
        if (new URL(url).pathname.startsWith('/share/')) return
        const cookie = `${cookies}; ${extra.replace(/[\r\n\0]/g, '')}`
        const outcome = await p.remoteA.handle(new Request(url, { headers: { cookie } }))
        if (outcome.type !== 'continue') throw new Error(`unexpected response for ${url}`)
        // The first share_session wins; anything appended changes nothing. A Cookie header over
        // 16 KB is ignored whole: then nobody, never someone else.
        expect(outcome.session?.userId).toBe(cookie.length > 16_384 ? undefined : 'alice')
      }),
      { numRuns: 200 },
    )
  })
})
