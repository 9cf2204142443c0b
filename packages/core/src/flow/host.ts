import { decodeCallback } from '../callback/codec.js'
import { MAX_CALLBACK_LENGTH } from '../callback/parse.js'
import { describeChecksumFailure, verifyChecksum } from '../checksum/checksum.js'
import { logRef } from '../checksum/mac.js'
import type { ShareHostOptions } from '../config/options.js'
import { readHostConfig } from '../config/read.js'
import { encodedLength, isBase64urlText } from '../encoding/base64url.js'
import { isShareError, ShareError } from '../errors.js'
import {
  buildEngine,
  type CreateSessionInput,
  type SessionEngine,
  type SessionSummary,
} from '../session/engine.js'
import { sealSessionId } from '../token/seal.js'
import { authorizeChecksumData, checkAuthorizeTime } from './authorize.js'
import { createFailure } from './failure.js'
import {
  guardResponse,
  isApiRequest,
  type RequireSessionOptions,
  type SessionState,
} from './guard.js'
import { pathAndQuery, safeLocalPath } from './paths.js'
import {
  assertSameOriginPost,
  type HeaderList,
  isChecked,
  readForm,
  type ShareRequest,
  singleParam,
} from './request.js'
import { HOST_PAGE_HEADERS, redirect } from './responses.js'
import { createRoutes, type Route } from './router.js'
import { sessionJson } from './session-json.js'
import {
  createSessionReader,
  type ResolvedSession,
  type SessionRead,
  type SessionSource,
  type ShareOutcome,
} from './session-reader.js'
import { renderSessionsPage } from './sessions-page.js'
import { withToken } from './with-token.js'

export type { ShareHostOptions } from '../config/options.js'

import type { ShareUser } from '../config/register.js'

export interface SignInInput extends Omit<CreateSessionInput, 'client'> {
  /** Where to go after sign-in: a local path (e.g. the hand-off to resume). Anything else becomes `/`. */
  next?: string | null | undefined
}

export interface ShareHost {
  readonly origin: string
  /** The session cookie's full name (`__Host-share_session` on https). */
  readonly cookieName: string
  readonly engine: SessionEngine
  readonly paths: {
    readonly authorize: string
    readonly logout: string
    readonly revoke: string
    readonly revokeOthers: string
    readonly revokeAll: string
    /** `GET`: the session as JSON for single-page apps. */
    readonly session: string
  }
  /** Derives the keys now instead of on the first request, to fail fast at start-up. */
  ready(): Promise<void>
  /**
   * The decision of every adapter's `requireSession`: `null` lets the request
   * on; else its answer (503 store down, 401 or the sign-in redirect without
   * a session, 403 when `where` refuses it).
   */
  requireSession(
    request: ShareRequest,
    state: SessionState,
    options?: RequireSessionOptions,
  ): Promise<Response | null>
  /**
   * Answers Share's endpoints (the hand-off, logout, session management) and
   * resolves every other request's host session. Never throws for bad input.   * An ordinary request whose session is at hand (a store in this process,
   * a cookie seen before) is answered synchronously, with no promise;
   * otherwise the answer is a promise. `await` it either way.
   */
  handle(request: ShareRequest): ShareOutcome | Promise<ShareOutcome>
  /** The host session of a request, its headers, or a cookie store, for code outside the middleware. */
  getSession(source: SessionSource): Promise<SessionRead>
  /** After the app checked the user's credentials: a new host session, its cookie, a 303 to `next`. */
  signIn(
    request: ShareRequest,
    input: SignInInput,
    context?: { clientIp?: string | undefined },
  ): Promise<Response>
  /** The 303 to the login page that comes back to this request's path. */
  loginRedirect(request: ShareRequest): Response
  /** The signed-in user's devices for a sessions page. */
  listSessions(resolved: ResolvedSession): Promise<SessionSummary[]>
  /** New shared user data on every session of the user; remotes see it on their next request. */
  updateUser(userId: string, user: ShareUser): Promise<number>
}

/**
 * The host side of the hand-off: checks the remote's signed request and
 * callback (`authorize`), lets the app's own login run when needed, then
 * seals a token for that remote and redirects back with it; logout and the
 * session-management forms (`revoke`, `revokeOthers`, `revokeAll`).
 * Returns at once: keys are derived on first use (or by `ready()`).
 *
 * Exported from `@share/core`.
 *
 * @example
 * ```ts
 * import { createMemoryStore, createShareHost, fromEnv } from '@share/core'
 * const host = createShareHost({ ...fromEnv(process.env, 'host'), store: createMemoryStore() })
 * const outcome = await host.handle(request)
 * ```
 */
export function createShareHost(options: ShareHostOptions): ShareHost {
  const config = readHostConfig(options)
  const { origin, basePath, allowList, engine: engineConfig } = config
  const { engine, ctx, resolve } = buildEngine(engineConfig)
  const keys = engineConfig.keys
  // Not frozen: see the header lists of session-reader.ts.
  const HOST_PAGE_PAIRS: HeaderList = Object.entries(HOST_PAGE_HEADERS)
  const reader = createSessionReader(config, resolve, undefined, HOST_PAGE_PAIRS)
  const failure = createFailure(config, ctx.emit)
  const paths = Object.freeze({
    authorize: `${basePath}/authorize`,
    logout: `${basePath}/logout`,
    revoke: `${basePath}/sessions/revoke`,
    revokeOthers: `${basePath}/sessions/revoke-others`,
    revokeAll: `${basePath}/sessions/revoke-all`,
    session: `${basePath}/session`,
  })
  const pageHeaders = () => new Headers(HOST_PAGE_HEADERS)
  const loginRedirect = (request: ShareRequest): Response =>
    redirect(
      `${config.loginPath}?next=${encodeURIComponent(pathAndQuery(request.url))}`,
      303,
      pageHeaders(),
    )

  /** The remote's signed request: callback, state and checksum, each exactly once. */
  async function readHandOff(url: URL): Promise<{ callback: URL; state: string }> {
    const callback = singleParam(url, 'callback', encodedLength(MAX_CALLBACK_LENGTH))
    const state = singleParam(url, 'state', 128)
    const issued = singleParam(url, 't', 12)
    const checksum = singleParam(url, 'checksum', 64)
    if (
      callback === null ||
      state === null ||
      issued === null ||
      checksum === null ||
      !isBase64urlText(state)
    ) {
      throw new ShareError('ERR_REQUEST_INVALID')
    }
    const signed = authorizeChecksumData(callback, state, Number(issued))
    // The checksum first: only then is the time the remote's, and worth an expiry answer. It is
    // checked with the key of the remote the callback names: one remote cannot sign for another.
    const keyring = await keyringFor(callbackOrigin(callback))
    if (!/^\d{1,12}$/.test(issued) || !(await verifyChecksum(keyring, signed, checksum))) {
      throw new ShareError('ERR_CHECKSUM_INVALID', {
        detail: describeChecksumFailure(keyring, checksum),
      })
    }
    checkAuthorizeTime(issued, config.now())
    const target = allowList.check(decodeCallback(callback))
    if (!target.ok) {
      throw new ShareError(
        target.code,
        target.detail === undefined ? {} : { detail: target.detail },
      )
    }
    return { callback: target.url, state }
  }

  /** The callback's origin, only to pick the key that must have signed it (null when malformed). */
  function callbackOrigin(encoded: string): string | null {
    try {
      return new URL(decodeCallback(encoded)).origin
    } catch {
      return null
    }
  }

  /** The remote's own keyring when it has one, else the host's. */
  function keyringFor(origin: string | null) {
    const own = origin === null ? undefined : config.remoteKeys.get(origin)
    return (own ?? keys).load()
  }

  /** `GET <basePath>/authorize?callback&state&checksum`: a token for the remote, or the login first. */
  const authorize: Route = async (request) => {
    if (request.method !== 'GET') throw new ShareError('ERR_METHOD_NOT_ALLOWED')
    const { callback, state } = await readHandOff(new URL(request.url))
    const { session } = await reader.getSession(request)
    // Not signed in: the app's login runs, then comes back here with the same query.
    if (session === null) return loginRedirect(request)
    // Sealed with that remote's key: only it can open the token.
    const keyring = await keyringFor(callback.origin)
    const token = await sealSessionId(
      keyring,
      { sessionId: session.host.id, audience: callback.origin, state, ttl: config.tokenTtlSec },
      { now: config.now() },
    )
    ctx.emit({
      type: 'token.issued',
      at: config.now(),
      userId: session.userId,
      handle: session.host.handle,
      audience: callback.origin,
      ref: await logRef(keyring, token),
    })
    return redirect(withToken(callback, token), 303, pageHeaders())
  }

  /** A same-origin POST from a signed-in browser: its session and form. */
  async function signedInPost(request: ShareRequest) {
    assertSameOriginPost(request, origin)
    const form = await readForm(request)
    const { session } = await reader.getSession(request)
    if (session === null) throw new ShareError('ERR_SESSION_NOT_FOUND')
    return { session, form }
  }

  /** The 303 after a form; `signedOut` also clears the cookie and leaves the sessions page. */
  function after(signedOut: boolean): Response {
    const headers = pageHeaders()
    if (signedOut) headers.append('Set-Cookie', reader.clearCookie())
    return redirect(signedOut ? config.afterLogoutPath : config.sessionsPath, 303, headers)
  }

  /** `POST <basePath>/sessions/revoke` (form `handle`): ends one of the user's devices. */
  const revoke: Route = async (request) => {
    const { session, form } = await signedInPost(request)
    await engine.revoke(session.userId, form.get('handle') ?? '')
    return after(false)
  }

  /** `POST <basePath>/sessions/revoke-others`: every device but this one. */
  const revokeOthers: Route = async (request) => {
    const { session } = await signedInPost(request)
    await engine.revokeOthers(session.session)
    return after(false)
  }

  /** `POST <basePath>/sessions/revoke-all`: log out everywhere, every device and app. */
  const revokeAll: Route = async (request) => {
    const { session } = await signedInPost(request)
    await engine.revokeAll(session.userId)
    return after(true)
  }

  /**
   * `POST <basePath>/logout`: ends this device's session at the host and
   * every app; with `everywhere=1`, every device's (as `revokeAll`).
   */
  const logout: Route = async (request) => {
    const { session, form } = await signedInPost(request)
    if (isChecked(form.get('everywhere'))) await engine.revokeAll(session.userId)
    else await engine.logout(session.session, { everywhere: true })
    return after(true)
  }

  /** `GET <basePath>/session`: the host session as JSON, for single-page apps. */
  const session: Route = (request) => sessionJson(request, reader)

  /** `GET <sessionsPath>` (with `sessionsPage: true`): the devices page, or its JSON. */
  const sessionsPage: Route = async (request) => {
    if (request.method !== 'GET') throw new ShareError('ERR_METHOD_NOT_ALLOWED')
    const { session: current } = await reader.getSession(request)
    if (current === null) return loginRedirect(request)
    const sessions = await engine.list(current.userId, current.session)
    const headers = pageHeaders()
    headers.set('Cache-Control', 'no-store')
    if (isApiRequest(request)) {
      headers.set('Content-Type', 'application/json; charset=utf-8')
      return new Response(JSON.stringify({ userId: current.userId, sessions }), { headers })
    }
    headers.set('Content-Type', 'text/html; charset=utf-8')
    // No script at all, forms only to this origin.
    headers.set(
      'Content-Security-Policy',
      "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
    )
    return new Response(renderSessionsPage(current.userId, sessions, paths), { headers })
  }

  const routes = createRoutes({
    ...(config.sessionsPage ? { [config.sessionsPath]: sessionsPage } : {}),
    [paths.session]: session,
    [paths.authorize]: authorize,
    [paths.logout]: logout,
    [paths.revoke]: revoke,
    [paths.revokeOthers]: revokeOthers,
    [paths.revokeAll]: revokeAll,
  })

  /** The error page of a failed step or session read. */
  function failed(error: unknown, request: ShareRequest): ShareOutcome {
    const page = { headers: pageHeaders(), link: { href: '/', label: 'Back to the start page' } }
    return { type: 'respond', response: failure(error, request, page) }
  }
  const responded = (response: Response): ShareOutcome => ({ type: 'respond', response })

  return {
    origin,
    cookieName: reader.cookieName,
    engine,
    paths,
    ready: engine.ready,
    loginRedirect,
    requireSession: (request, state, options = {}) =>
      guardResponse(request, state, options, loginRedirect),
    getSession: reader.getSession,
    listSessions: (resolved) => engine.list(resolved.userId, resolved.session),
    updateUser: (userId, user) => engine.updateUser(userId, user),

    async signIn(request, input, context = {}) {
      try {
        // Login CSRF: a cross-site form posting someone's credentials must not sign this browser in.
        if (!config.allowCrossSiteSignIn) assertSameOriginPost(request, origin)
        const { next, ...rest } = input
        // The response first: nothing below may fail after the session exists.
        const response = redirect(safeLocalPath(next), 303, pageHeaders())
        const previous = await reader.getSession(request)
        // Signing in again on this device replaces its session instead of leaving the old one alive.
        if (previous.session) await engine.logout(previous.session.session, { everywhere: true })
        const client = {
          ip: context.clientIp ?? null,
          userAgent: request.headers.get('user-agent'),
        }
        const { session, cookie } = await engine.create({ ...rest, client })
        response.headers.append('Set-Cookie', reader.setCookie(cookie, session))
        return response
      } catch (error) {
        // A bad userId is the app's bug and should surface; a store outage is a 503 page.
        if (isShareError(error) && error.status === 500) throw error
        return failure(error, request, { headers: pageHeaders() })
      }
    },

    handle(request) {
      try {
        const route = routes.find(request.url)
        if (route) return route(request).then(responded, (error) => failed(error, request))
        return reader.continueWith(request, failed)
      } catch (error) {
        return failed(error, request)
      }
    },
  }
}
