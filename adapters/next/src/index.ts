/**
 * @share/next: Share for Next.js. One middleware for `middleware.ts` (the
 * edge runtime) and `proxy.ts` (Node), the session in Server Components,
 * Route Handlers and Server Actions, and a Route Handler for the host's
 * endpoints. Translation only: the protocol, its checks and every status
 * code live in @share/core.
 *
 * @module
 */
import {
  createPathMatcher,
  type HeaderList,
  isShareError,
  type RequireSessionOptions,
  type ResolvedSession,
  type SessionSource,
  type ShareHost,
  type ShareOutcome,
  type ShareRemote,
} from '@share/core'
import { cookies } from 'next/headers'
import { redirect } from 'next/navigation'
import { after, NextResponse } from 'next/server'

/** The widened pathname `protect` compares (core's). */
export { routedPath } from '@share/core'

/** A remote or a host from @share/core: anything with `handle`, `getSession` and `loginRedirect`. */
export type ShareHandler = ShareRemote | ShareHost

/**
 * The handler itself, or a function that makes it on first use: Next
 * evaluates modules at build time, when the environment (the sync key, the
 * store's URL) may not be set yet.
 */
export type HandlerSource<H extends ShareHandler> = H | (() => H)

/** Next's `NextFetchEvent`, structurally: only `waitUntil` is used. */
export interface FetchEventLike {
  waitUntil(promise: Promise<unknown>): void
}

/** A Web Request; a `NextRequest` adds `nextUrl`, whose pathname has Next's `basePath` removed. */
export type RequestLike = Request & { readonly nextUrl?: { readonly pathname: string } }

/** A protected path prefix with its own guard: `{ path: '/admin', where: (s) => s.userId === 'admin' }`. */
export interface ProtectedPath extends RequireSessionOptions {
  /** The path prefix, matched like the plain strings of `protect`. */
  path: string
}

export interface ShareNextOptions {
  /**
   * Paths that need a session: a request to one of them without a session is
   * sent to sign in (`loginRedirect`). A list of path prefixes (matched on
   * whole segments: `/account` covers `/account` and `/account/x`, not
   * `/accounts`), each a string or a {@link ProtectedPath} with its own
   * `where` and `onMissing`, or a function of the request's pathname.
   * Prefixes are compared with the pathname as Next routes it (core's
   * `createPathMatcher`): percent-decoded, repeated and trailing slashes
   * dropped, `;` parameters cut, case ignored, data routes
   * (`/_next/data/<build>/x.json`) read as their page, so a spelling of a
   * protected path cannot reach its page unprotected. A path under several
   * entries must pass each of their guards. Default: none (the middleware
   * only serves Share's endpoints and reads the session).
   */
  protect?: readonly (string | ProtectedPath)[] | ((pathname: string) => boolean)
  /**
   * How protected paths refuse a request (`onMissing`, `where`): core's
   * `RequireSessionOptions`, for every entry of `protect`; a
   * {@link ProtectedPath}'s own options override it.
   */
  guard?: RequireSessionOptions
}

export interface ShareNext<H extends ShareHandler> {
  /**
   * The middleware: `export const middleware = share.middleware` in
   * `middleware.ts` (edge), or `export const proxy = share.middleware` in
   * `proxy.ts` (Node). Serves Share's endpoints with core's response; other
   * requests continue (`NextResponse.next()`) with core's headers, or go to
   * sign in when the path is protected and there is no session.
   */
  middleware(request: RequestLike, event?: FetchEventLike): Promise<Response>
  /**
   * The live session (null when there is none), from `next/headers`'
   * `cookies()` in a Server Component, Route Handler or Server Action, or
   * from `source` (a Request, Headers or cookie store) when given. The
   * throttled touch write goes to `after()` when Next offers it here. Null
   * too while the store cannot be reached, as the middleware's own read is:
   * a page that can do without a session still renders.
   */
  getSession(source?: SessionSource): Promise<ResolvedSession | null>
  /**
   * Like `getSession`, but without a session it ends rendering with a
   * redirect to the remote's sign-in endpoint, coming back to `returnTo`:
   * a second check in the page itself, beside the middleware's. While the
   * store cannot be reached it throws core's `ERR_STORE_UNAVAILABLE`.
   */
  requireSession(returnTo: string): Promise<ResolvedSession>
  /** The handler (made on first use when given as a function). */
  handler(): H
}

/**
 * Share for a Next.js app, remote or host.
 *
 * @example
 * ```ts
 * const share = createShareNext(() => createShareRemote({ ...fromEnv(process.env, 'remote'), store }), {
 *   protect: ['/account'],
 * })
 * export const middleware = share.middleware
 * ```
 */
export function createShareNext<H extends ShareHandler>(
  source: HandlerSource<H>,
  options: ShareNextOptions = {},
): ShareNext<H> {
  let made: H | undefined
  const handler = (): H => {
    made ??= typeof source === 'function' ? source() : source
    return made
  }
  const guards = pathGuards(options)

  async function readSession(from?: SessionSource): Promise<ResolvedSession | null> {
    const { session, pending } = await handler().getSession(from ?? (await cookies()))
    hand(pending)
    return session
  }

  return {
    handler,
    async getSession(from) {
      try {
        return await readSession(from)
      } catch (error) {
        if (isShareError(error) && error.code === 'ERR_STORE_UNAVAILABLE') return null
        throw error
      }
    },
    async requireSession(returnTo) {
      // Fails closed: with the store away this throws (Next's error page), never sends to sign in.
      const session = await readSession()
      if (session) return session
      const share = handler()
      if (!('login' in share.paths)) throw new TypeError('requireSession needs a remote')
      redirect(`${share.paths.login}?return=${encodeURIComponent(returnTo)}`)
    },
    async middleware(request, event) {
      const share = handler()
      const outcome: ShareOutcome = await share.handle(request)
      if (outcome.type === 'respond') return absoluteLocation(outcome.response, share.origin)
      if (outcome.pending) {
        if (typeof event?.waitUntil === 'function') event.waitUntil(outcome.pending)
        else await outcome.pending
      }
      const paths = guards.length > 0 ? pathsOf(request) : []
      const state = { session: outcome.session, unavailable: outcome.unavailable }
      for (const { matches, guard } of guards) {
        if (!matches(paths)) continue
        // Core decides: the sign-in redirect for a page, 401 JSON for an API call, 503 while the
        // store is down, 403 when the guard's `where` refuses the session.
        const denied = await share.requireSession(request, state, guard)
        if (denied) return withHeaders(absoluteLocation(denied, share.origin), outcome.headers)
      }
      return withHeaders(NextResponse.next(), outcome.headers)
    },
  }
}

/**
 * The host's (or a remote's) endpoints as a Route Handler, for
 * `app/share/[...share]/route.ts`: `export const { GET, POST } = shareRouteHandlers(share)`.
 * Requests that are not one of Share's endpoints get a 404.
 */
export function shareRouteHandlers(share: Pick<ShareNext<ShareHandler>, 'handler'>): {
  GET(request: Request): Promise<Response>
  POST(request: Request): Promise<Response>
} {
  async function route(request: Request): Promise<Response> {
    const outcome = await share.handler().handle(request)
    if (outcome.type === 'respond') return outcome.response
    await outcome.pending
    return withHeaders(new Response('Not found', { status: 404 }), outcome.headers)
  }
  return { GET: route, POST: route }
}

/**
 * Next refuses a middleware response whose `Location` is relative (core
 * redirects to the wanted path as `/path`): resolve it against the app's
 * own origin.
 */
function absoluteLocation(response: Response, origin: string): Response {
  const location = response.headers.get('location')
  if (location?.startsWith('/')) response.headers.set('location', new URL(location, origin).href)
  return response
}

/** Hands the touch write to `after()` inside a request scope; elsewhere (tests, scripts) lets it run. */
function hand(pending: Promise<void>): void {
  try {
    after(pending)
  } catch {
    // Outside a Next request scope there is no `after`: the write still runs, and never rejects.
  }
}

function withHeaders(response: Response, headers: HeaderList): Response {
  for (const [name, value] of headers) {
    if (name.toLowerCase() === 'set-cookie') response.headers.append(name, value)
    else response.headers.set(name, value)
  }
  return response
}

/** The request's pathname, and Next's (without `basePath`) when it differs: either may be protected. */
function pathsOf(request: RequestLike): string[] {
  const full = new URL(request.url).pathname
  const routed = request.nextUrl?.pathname
  return routed === undefined || routed === full ? [full] : [full, routed]
}

interface PathGuard {
  matches(pathnames: readonly string[]): boolean
  guard: RequireSessionOptions
}

/**
 * One guard per protection made once: the plain prefixes (or the function)
 * together under `options.guard`, each {@link ProtectedPath} under its own.
 */
function pathGuards({ protect, guard = {} }: ShareNextOptions): PathGuard[] {
  if (protect === undefined) return []
  if (typeof protect === 'function') return [{ matches: createPathMatcher(protect), guard }]
  const plain: string[] = []
  const guards: PathGuard[] = []
  for (const entry of protect) {
    if (typeof entry === 'string') plain.push(entry)
    else {
      const { path, ...own } = entry
      guards.push({ matches: createPathMatcher([path]), guard: { ...guard, ...own } })
    }
  }
  if (plain.length > 0) guards.unshift({ matches: createPathMatcher(plain), guard })
  return guards
}
