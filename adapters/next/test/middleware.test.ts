// What the adapter itself translates: Next's request and event in, Next's response out.
import {
  type RequireSessionOptions,
  type ResolvedSession,
  ShareError,
  type ShareOutcome,
  type ShareRemote,
} from '@share/core'
import { NextRequest } from 'next/server'
import { describe, expect, it } from 'vitest'
import { createShareNext, shareRouteHandlers } from '../src/index.js'

const ORIGIN = 'http://app-next.localhost:4301'

/** A remote whose `handle` answers `outcome`: only the adapter's side is under test here. */
function fakeRemote(outcome: ShareOutcome, seen: Request[] = []): ShareRemote {
  return {
    origin: ORIGIN,
    cookieName: 'share_session',
    paths: { login: '/share/login', callback: '/share/callback', logout: '/share/logout' },
    handle: async (request: Request) => {
      seen.push(request)
      return outcome
    },
    getSession: async () => ({ session: null, pending: Promise.resolve() }),
    loginRedirect: async () =>
      new Response(null, { status: 302, headers: { location: 'http://idp.localhost/share/x' } }),
    // Core's decision, reduced to what these tests need: a session goes on, none signs in.
    requireSession: async (_request: Request, state: { session: unknown }) =>
      state.session
        ? null
        : new Response(null, {
            status: 302,
            headers: { location: 'http://idp.localhost/share/x' },
          }),
  } as unknown as ShareRemote
}

const request = (path: string) => new NextRequest(`${ORIGIN}${path}`)
const someone = { userId: 'alice' } as ResolvedSession

describe('createShareNext().middleware', () => {
  it("continues with NextResponse.next() carrying core's headers, Set-Cookie lines kept apart", async () => {
    const share = createShareNext(
      fakeRemote({
        type: 'continue',
        session: null,
        headers: [
          ['Set-Cookie', 'a=; Max-Age=0'],
          ['Set-Cookie', 'b=; Max-Age=0'],
          ['Content-Security-Policy', "frame-ancestors 'none'"],
        ],
      }),
    )
    const response = await share.middleware(request('/'))
    expect(response.headers.get('x-middleware-next')).toBe('1')
    expect(response.headers.getSetCookie()).toEqual(['a=; Max-Age=0', 'b=; Max-Age=0'])
    expect(response.headers.get('content-security-policy')).toBe("frame-ancestors 'none'")
  })

  it("returns core's own response, with a relative Location made absolute (Next refuses it)", async () => {
    const answer = new Response(null, { status: 303, headers: { location: '/private?x=1' } })
    const share = createShareNext(fakeRemote({ type: 'respond', response: answer }))
    const response = await share.middleware(request('/share/callback?token=t'))
    expect(response.status).toBe(303)
    expect(response.headers.get('location')).toBe(`${ORIGIN}/private?x=1`)
  })

  it('hands the touch write to event.waitUntil, or waits for it without an event', async () => {
    let settled = false
    const pending = new Promise<void>((resolve) => setTimeout(resolve, 20)).then(() => {
      settled = true
    })
    const share = createShareNext(
      fakeRemote({ type: 'continue', session: someone, headers: [], pending }),
    )
    const handed: Promise<unknown>[] = []
    await share.middleware(request('/'), { waitUntil: (promise) => void handed.push(promise) })
    expect(handed).toEqual([pending])
    expect(settled).toBe(false)
    await share.middleware(request('/'))
    expect(settled).toBe(true)
  })

  it('sends a protected path without a session to sign in; lets a session through', async () => {
    const anonymous = createShareNext(
      fakeRemote({ type: 'continue', session: null, headers: [['Set-Cookie', 'x=; Max-Age=0']] }),
      { protect: ['/account'] },
    )
    const out = await anonymous.middleware(request('/account/settings'))
    expect(out.status).toBe(302)
    expect(out.headers.getSetCookie()).toEqual(['x=; Max-Age=0'])
    expect((await anonymous.middleware(request('/accounts'))).status).toBe(200)
    const signedIn = createShareNext(
      fakeRemote({ type: 'continue', session: someone, headers: [] }),
      { protect: ['/account'] },
    )
    expect((await signedIn.middleware(request('/account'))).headers.get('x-middleware-next')).toBe(
      '1',
    )
  })

  it.each([
    '/account',
    '/Account',
    '/ACCOUNT/x',
    '//account',
    '/%61ccount',
    '/%2561ccount',
    '/account;x',
    '/account%3bx/y',
    '/account/',
    '/./account',
    '/x/..%2faccount',
    '/account.json',
    '/_next/data/build-1/account.json',
    '/_next/data/build-1/account/settings.json',
  ])('treats %s as the protected /account', async (path) => {
    const share = createShareNext(fakeRemote({ type: 'continue', session: null, headers: [] }), {
      protect: ['/account'],
    })
    expect((await share.middleware(request(path))).status).toBe(302)
  })

  it("protects a path under Next's basePath (nextUrl.pathname) as well as the full one", async () => {
    const share = createShareNext(fakeRemote({ type: 'continue', session: null, headers: [] }), {
      protect: ['/account'],
    })
    const underBase = new NextRequest(`${ORIGIN}/app/account`, { nextConfig: { basePath: '/app' } })
    expect(underBase.nextUrl.pathname).toBe('/account')
    expect((await share.middleware(underBase)).status).toBe(302)
    const full = createShareNext(fakeRemote({ type: 'continue', session: null, headers: [] }), {
      protect: ['/app/account'],
    })
    expect((await full.middleware(underBase)).status).toBe(302)
  })

  it('passes the normalised pathname to a protect function', async () => {
    const paths: string[] = []
    const share = createShareNext(fakeRemote({ type: 'continue', session: null, headers: [] }), {
      protect: (path) => {
        paths.push(path)
        return false
      },
    })
    await share.middleware(request('//A/%62;c/./d/'))
    expect(paths).toEqual(['/a/b/d'])
  })

  it('makes the handler once, on first use', async () => {
    let made = 0
    const share = createShareNext(() => {
      made++
      return fakeRemote({ type: 'continue', session: null, headers: [] })
    })
    expect(made).toBe(0)
    await share.middleware(request('/'))
    await share.middleware(request('/'))
    expect(made).toBe(1)
  })
})

describe('per-path guards', () => {
  const isAdmin = (session: ResolvedSession) => session.userId === 'admin'
  /** A remote that records the guard options it is asked to apply, and applies `where` as core does. */
  function guarded(session: ResolvedSession, asked: RequireSessionOptions[]): ShareRemote {
    return {
      ...fakeRemote({ type: 'continue', session, headers: [] }),
      requireSession: async (
        _request: Request,
        _state: unknown,
        options: RequireSessionOptions,
      ) => {
        asked.push(options)
        return options.where && !options.where(session) ? new Response(null, { status: 403 }) : null
      },
    } as unknown as ShareRemote
  }
  const passes = (response: Response) => response.headers.get('x-middleware-next') === '1'

  it("applies a ProtectedPath's own where on its path, the shared guard on the plain ones", async () => {
    const asked: RequireSessionOptions[] = []
    const share = createShareNext(guarded(someone, asked), {
      protect: ['/account', { path: '/admin', where: isAdmin }],
      guard: { onMissing: 'status' },
    })
    expect((await share.middleware(request('/admin/users'))).status).toBe(403)
    expect(asked).toEqual([{ onMissing: 'status', where: isAdmin }])
    expect(passes(await share.middleware(request('/account')))).toBe(true)
    expect(asked.at(-1)).toEqual({ onMissing: 'status' })
    expect(passes(await share.middleware(request('/elsewhere')))).toBe(true)
    expect(asked).toHaveLength(2)
    const admin = createShareNext(guarded({ userId: 'admin' } as ResolvedSession, []), {
      protect: [{ path: '/admin', where: isAdmin }],
    })
    expect(passes(await admin.middleware(request('/admin')))).toBe(true)
  })

  it('makes a path under several entries pass each of their guards', async () => {
    const asked: RequireSessionOptions[] = []
    const share = createShareNext(guarded(someone, asked), {
      protect: ['/', { path: '/admin', where: isAdmin }],
    })
    expect((await share.middleware(request('/admin'))).status).toBe(403)
    expect(asked).toEqual([{}, { where: isAdmin }])
  })

  it.each(['/ADMIN', '//admin/', '/%61dmin', '/admin;x', '/_next/data/build-1/admin.json'])(
    'guards %s as the ProtectedPath /admin',
    async (path) => {
      const share = createShareNext(guarded(someone, []), {
        protect: [{ path: '/admin', where: isAdmin }],
      })
      expect((await share.middleware(request(path))).status).toBe(403)
    },
  )
})

describe('shareRouteHandlers', () => {
  it("answers Share's endpoints and 404s anything else, with core's headers", async () => {
    const done = createShareNext(
      fakeRemote({ type: 'respond', response: new Response('ok', { status: 200 }) }),
    )
    expect(await (await shareRouteHandlers(done).GET(request('/share/login'))).text()).toBe('ok')
    const other = createShareNext(
      fakeRemote({ type: 'continue', session: null, headers: [['Set-Cookie', 'x=; Max-Age=0']] }),
    )
    const response = await shareRouteHandlers(other).POST(request('/share/nothing'))
    expect(response.status).toBe(404)
    expect(response.headers.getSetCookie()).toEqual(['x=; Max-Age=0'])
  })
})

describe('getSession', () => {
  it('reads the session from a given source outside a Next request scope', async () => {
    const share = createShareNext(fakeRemote({ type: 'continue', session: null, headers: [] }))
    expect(await share.getSession(request('/'))).toBeNull()
  })

  it('is null while the store cannot be reached; other errors go on to Next', async () => {
    const failing = (error: Error) =>
      createShareNext({
        ...fakeRemote({ type: 'continue', session: null, headers: [] }),
        getSession: async () => Promise.reject(error),
      } as unknown as ShareRemote)
    expect(
      await failing(new ShareError('ERR_STORE_UNAVAILABLE')).getSession(request('/')),
    ).toBeNull()
    const bug = new TypeError('a bug')
    await expect(failing(bug).getSession(request('/'))).rejects.toBe(bug)
  })
})
