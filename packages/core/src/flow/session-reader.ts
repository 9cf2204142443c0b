import type { FlowConfig } from '../config/read.js'
import type { ShareUser } from '../config/register.js'
import { isShareError } from '../errors.js'
import type { ResolveResult } from '../session/engine.js'
import type { SessionRecord } from '../session/record.js'
import { isThenable, type Resolve } from '../session/resolve.js'
import {
  type CookieSettings,
  clearCookie,
  findCookie,
  isCookieValue,
  serializeCookie,
} from './cookies.js'
import type { HeaderList, ShareRequest } from './request.js'

/** A request's live session, as the handlers hand it to the app. */
export interface ResolvedSession {
  /** The session the cookie names (at a remote, its linked session). */
  readonly session: SessionRecord
  /** The host session behind it (the same record at the host). */
  readonly host: SessionRecord
  readonly userId: string
  /** What the host shares about the user. */
  /** What the host shares about the user: your registered `ShareUser`, or JSON. */
  readonly user: ShareUser | null
}

/** What a handler decided: answer the request itself, or let the app continue. */
export type ShareOutcome =
  | { readonly type: 'respond'; readonly response: Response }
  | {
      readonly type: 'continue'
      /** The live session, or null when the request has none. */
      readonly session: ResolvedSession | null
      /** Headers the adapter must add to the app's response (cookies to clear, framing policy). */
      readonly headers: HeaderList
      /**
       * The throttled touch write, when this request slides the idle expiry:
       * await it, or hand it to the platform (`waitUntil`). Never rejects.
       */
      readonly pending?: Promise<void> | undefined
      /**
       * The store could not be reached. The request goes on without a session
       * (a public page keeps working); `requireSession` answers 503 for it.
       */
      readonly unavailable?: boolean | undefined
    }

/** A cookie store such as Next.js' `cookies()`: `get(name)` answers `{ value }` or undefined. */
export interface CookieReader {
  get(name: string): { readonly value: string } | undefined
}

/**
 * Where `getSession` reads the session cookie: a request (a Web `Request`,
 * or anything with `headers.get`), a `Headers` object, or a cookie store.
 */
export type SessionSource = ShareRequest | Pick<ShareRequest, 'headers'> | Headers | CookieReader

/** What `getSession` answers. */
export interface SessionRead {
  /** The live session, or null when the cookie names none (or there is no cookie). */
  readonly session: ResolvedSession | null
  /**
   * The throttled touch write; already settled on most requests. Await it, or
   * pass it to `waitUntil` to take the write off the response path. Never rejects.
   */
  readonly pending: Promise<void>
}

/** The session cookie of one app: reading it into a session, setting and clearing it. */
export interface SessionReader {
  readonly cookieName: string
  /**
   * The `continue` outcome for an ordinary request, with the app's headers
   * (the reader's base headers, `Cache-Control` when there is a session, a
   * cleared cookie when it names none). Synchronous when the session is
   * at hand (see `Resolve`), else a promise. An error other than an
   * unreachable store becomes `recover`'s outcome; it never throws.
   */
  continueWith<R extends Pick<ShareRequest, 'headers'>>(
    request: R,
    recover: (error: unknown, request: R) => ShareOutcome,
  ): ShareOutcome | Promise<ShareOutcome>
  getSession(source: SessionSource): Promise<SessionRead>
  setCookie(cookie: string, session: SessionRecord): string
  clearCookie(): string
}

// The header lists below are shared by every request and typed read-only, but not frozen: on
// Node 20, reading an element of a frozen (or sealed) array from optimised code is a call, about
// five times the cost of a plain array's, and adapters read these on every request.
const NO_HEADERS: HeaderList = []
/**
 * On every response produced with a session: no cache may keep a signed-in
 * page (after "log out everywhere", Back must not show the last user's page).
 * `no-store` also keeps such pages out of the browser's back/forward cache.
 */
const SESSION_HEADERS: HeaderList = [['Cache-Control', 'no-store']]
const SETTLED: Promise<void> = Promise.resolve()

/**
 * `audience` is the remote's own origin (it accepts only its linked
 * sessions), undefined at the host. `baseHeaders` go on every ordinary
 * response (the host's framing policy).
 */
export function createSessionReader(
  config: FlowConfig,
  resolve: Resolve,
  audience: string | undefined,
  baseHeaders: HeaderList = NO_HEADERS,
  /** A cookie to drop once a request arrives with a session (the remote's loop counter). */
  clearOnSession?: CookieSettings,
): SessionReader {
  const { cookie, now } = config
  const clearing = ['Set-Cookie', clearCookie(cookie)] as const
  // The remote's loop counter: how to spot it in a Cookie header, and the Set-Cookie that drops it.
  const dropping = clearOnSession
    ? {
        name: clearOnSession.name,
        header: ['Set-Cookie', clearCookie(clearOnSession)] as const,
      }
    : null
  // Made once: the header lists an ordinary response can need.
  const withSession: HeaderList = [...baseHeaders, ...SESSION_HEADERS]
  const lists = {
    session: withSession,
    sessionDropping: dropping ? [...withSession, dropping.header] : withSession,
    anonymous: baseHeaders,
    cleared: [...baseHeaders, clearing],
  }

  async function resolveValue(value: string | undefined) {
    const result = await resolve(value, audience)
    // The engine's result already has the ResolvedSession fields: no copy per request.
    return result.ok ? { session: result as ResolvedSession, pending: result.pending } : null
  }

  /** An unreachable store is soft (the page may not need a session); anything else is `recover`'s. */
  function failed<R>(
    error: unknown,
    request: R,
    recover: (error: unknown, request: R) => ShareOutcome,
  ): ShareOutcome {
    if (!isShareError(error) || error.code !== 'ERR_STORE_UNAVAILABLE')
      return recover(error, request)
    // Guards fail closed on `unavailable`.
    return { type: 'continue', session: null, headers: lists.anonymous, unavailable: true }
  }

  /** The `continue` outcome of a resolved cookie; `header` is the request's Cookie header. */
  function outcomeOf(
    result: ResolveResult,
    header: string | null,
    value: string | undefined,
  ): ShareOutcome {
    if (!result.ok) {
      const headers = value === undefined ? lists.anonymous : lists.cleared
      return { type: 'continue', session: null, headers }
    }
    // The engine's result already has the ResolvedSession fields: no copy per request.
    const session = result as ResolvedSession
    // The counter is there only on the first page after a sign-in. The cookie scan, not a
    // substring search: that set up a Boyer-Moore table on every request.
    const drop =
      dropping !== null &&
      roomFor(dropping.name, header, value) &&
      findCookie(header, dropping.name) !== undefined
    let headers = drop ? lists.sessionDropping : lists.session
    if (result.reissue !== undefined) {
      // A key rotation: the same session, its cookie signed with the current key.
      headers = [
        ...headers,
        ['Set-Cookie', serializeCookie(cookie, result.reissue, cookieMaxAge(result.session))],
      ]
    }
    return { type: 'continue', session, headers, pending: result.pending }
  }

  /**
   * Whether the Cookie header has room for the counter besides our cookie: it
   * holds `name=value`, and the counter needs a `;`, its name and a `=`. Most
   * headers hold only the session cookie, and then the second scan is skipped.
   */
  function roomFor(other: string, header: string | null, value: string | undefined): boolean {
    if (header === null || value === undefined) return true
    return header.length - cookie.name.length - 1 - value.length >= other.length + 2
  }

  /** Remember-me sessions survive a browser restart; others end with it. */
  function cookieMaxAge(session: SessionRecord): number | undefined {
    return session.rememberMe ? (session.absoluteExpiresAt - now()) / 1000 : undefined
  }

  return {
    cookieName: cookie.name,
    continueWith(request, recover) {
      let header: string | null
      let value: string | undefined
      let result: ResolveResult | Promise<ResolveResult>
      try {
        header = request.headers.get('cookie')
        value = findCookie(header, cookie.name)
        result = resolve(value, audience)
      } catch (error) {
        return failed(error, request, recover)
      }
      if (!isThenable(result)) return outcomeOf(result, header, value)
      return result.then(
        (answer) => outcomeOf(answer, header, value),
        (error: unknown) => failed(error, request, recover),
      )
    },
    async getSession(source) {
      const found = await resolveValue(cookieValueOf(source, cookie.name))
      return found
        ? { session: found.session, pending: found.pending ?? SETTLED }
        : { session: null, pending: SETTLED }
    },
    setCookie: (value, session) => serializeCookie(cookie, value, cookieMaxAge(session)),
    clearCookie: () => clearCookie(cookie),
  }
}

/**
 * The session cookie's value from any {@link SessionSource}; undefined when
 * absent, not ours, or when the source is none of the documented shapes.
 */
function cookieValueOf(source: SessionSource, name: string): string | undefined {
  if (typeof source !== 'object' || source === null) return undefined
  if ('headers' in source) {
    // A Request, or anything with `headers.get`.
    const { headers } = source
    return typeof headers?.get === 'function' ? findCookie(headers.get('cookie'), name) : undefined
  }
  if (
    source instanceof Headers ||
    typeof (source as { getSetCookie?: unknown }).getSetCookie === 'function'
  ) {
    return findCookie((source as Headers).get('cookie'), name)
  }
  if (typeof (source as Partial<CookieReader>).get !== 'function') return undefined
  const entry = (source as CookieReader).get(name)
  const value = typeof entry === 'object' && entry !== null ? entry.value : undefined
  return typeof value === 'string' && isCookieValue(value) ? value : undefined
}
