import { encodeCallback } from '../callback/codec.js'
import { createChecksum } from '../checksum/checksum.js'
import { logRef } from '../checksum/mac.js'
import type { ShareRemoteOptions } from '../config/options.js'
import { readRemoteConfig } from '../config/read.js'
import { decodeBase64url, encodeBase64url } from '../encoding/base64url.js'
import { fromUtf8, utf8 } from '../encoding/bytes.js'
import { isShareError, ShareError } from '../errors.js'
import { buildEngine, type SessionEngine } from '../session/engine.js'
import { MAX_TOKEN_LENGTH } from '../token/format.js'
import { consumeTokenId } from '../token/replay.js'
import { unsealSessionId } from '../token/seal.js'
import { authorizeChecksumData } from './authorize.js'
import { clearCookie, cookieSettings, readCookie, serializeCookie } from './cookies.js'
import { createFailure } from './failure.js'
import { guardResponse, type RequireSessionOptions, type SessionState } from './guard.js'
import { pathAndQuery, safeLocalPath } from './paths.js'
import {
  assertSameOriginPost,
  isChecked,
  readForm,
  type ShareRequest,
  singleParam,
} from './request.js'
import { redirect } from './responses.js'
import { createRoutes, type Route } from './router.js'
import { sessionJson } from './session-json.js'
import {
  createSessionReader,
  type SessionRead,
  type SessionSource,
  type ShareOutcome,
} from './session-reader.js'

export type { ShareRemoteOptions } from '../config/options.js'

export interface ShareRemote {
  /** This app's origin: the audience of the tokens it accepts. */
  readonly origin: string
  /** The session cookie's full name (`__Host-share_session` on https). */
  readonly cookieName: string
  readonly engine: SessionEngine
  readonly paths: {
    readonly login: string
    readonly callback: string
    readonly logout: string
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
   * Answers Share's own endpoints (start sign-in, redeem a token, logout) and
   * resolves every other request's session. Never throws for bad input.   * An ordinary request whose session is at hand (a store in this process,
   * a cookie seen before) is answered synchronously, with no promise;
   * otherwise the answer is a promise. `await` it either way.
   */
  handle(request: ShareRequest): ShareOutcome | Promise<ShareOutcome>
  /**
   * The session of a request, its headers, or a cookie store (Next.js'
   * `cookies()`), for code outside the middleware. Throws
   * `ERR_STORE_UNAVAILABLE` when the store cannot be reached.
   */
  getSession(source: SessionSource): Promise<SessionRead>
  /** The 302 to the host that starts a sign-in, coming back to `returnTo` (default: this request's path). */
  loginRedirect(request: ShareRequest, returnTo?: string): Promise<Response>
}

/** How long a browser may take to sign in at the host before the state cookie is gone. */
const STATE_COOKIE_MAX_AGE_SEC = 600
/**
 * Loop guard: sign-ins redeemed here in a row without the app ever seeing
 * its session (a cookie it does not keep), counted in a short-lived cookie.
 * Past this many rounds, the next sign-in is a 403 page, not a redirect.
 */
const MAX_SIGN_IN_ROUNDS = 3
const LOOP_COOKIE_MAX_AGE_SEC = 60

/**
 * The remote side of the hand-off: no session → a signed request to the
 * host (`login`); a token back → every check of the design, then the
 * remote's own linked session and a 303 to the page the user wanted, the
 * token gone (`callback`); `logout`. Returns at once: keys are derived on
 * first use (or by `ready()`).
 *
 * Exported from `@share/core`.
 *
 * @example
 * ```ts
 * import { createMemoryStore, createShareRemote, fromEnv } from '@share/core'
 * const remote = createShareRemote({ ...fromEnv(process.env, 'remote'), store: createMemoryStore() })
 * const outcome = await remote.handle(request)
 * ```
 */
export function createShareRemote(options: ShareRemoteOptions): ShareRemote {
  const config = readRemoteConfig(options)
  const { origin, basePath, engine: engineConfig } = config
  const { engine, ctx, resolve } = buildEngine(engineConfig)
  const keys = engineConfig.keys
  const rounds = (request: ShareRequest) => {
    const value = readCookie(request.headers.get('cookie'), loopCookie.name)
    return value !== undefined && /^\d{1,2}$/.test(value) ? Number(value) : 0
  }
  const stateCookie = cookieSettings('share_state', config.cookie.secure)
  const loopCookie = cookieSettings('share_loop', config.cookie.secure)
  const reader = createSessionReader(config, resolve, origin, undefined, loopCookie)
  const failure = createFailure(config, ctx.emit)

  /** Audits a refused token: its code, and its keyed hash when there was one to hash. */
  function refused(error: unknown, request: ShareRequest): void {
    const code = isShareError(error) ? error.code : 'ERR_INTERNAL'
    const query = request.url.slice(request.url.indexOf('?') + 1)
    const token = new URLSearchParams(query).get('token')
    const at = config.now()
    const emit = (ref: string | null) =>
      ctx.emit({ type: 'token.refused', at, audience: origin, code, ref })
    if (token === null || token.length > MAX_TOKEN_LENGTH) {
      emit(null)
      return
    }
    // The hash needs the key; the page does not wait for the log line.
    void keys
      .load()
      .then((keyring) => logRef(keyring, token))
      .then(emit, () => emit(null))
  }

  /** Why a callback arrived without this browser's state cookie, for the developer. */
  function missingStateDetail(request: ShareRequest): string {
    const scheme = request.url.slice(0, request.url.indexOf(':') + 1)
    const served = request.headers.get('host')
    const configured = new URL(origin).host
    if (served !== null && served.toLowerCase() !== configured) {
      return `the browser is at ${JSON.stringify(served)} but appUrl is ${origin}: cookies are kept per host name, so the state cookie set there is not sent here; browse the app at appUrl (localhost and app.localhost are different hosts)`
    }
    if (config.cookie.secure && scheme === 'http:') {
      return `the request came over http: but appUrl is ${origin}: the browser dropped the Secure state cookie; serve the app over https or set appUrl to its http origin (loopback only)`
    }
    return 'no state cookie: the sign-in started in another browser (a replayed or planted token), or took over 10 minutes'
  }
  const paths = Object.freeze({
    login: `${basePath}/login`,
    callback: `${basePath}/callback`,
    logout: `${basePath}/logout`,
    session: `${basePath}/session`,
  })
  const authorizeUrl = `${config.hostOrigin}${basePath}/authorize`
  const callbackParam = encodeCallback(`${origin}${paths.callback}`)

  async function loginRedirect(request: ShareRequest, returnTo?: string): Promise<Response> {
    if (rounds(request) >= MAX_SIGN_IN_ROUNDS) {
      // The counter is cleared with the page, so "Sign in again" really tries once more.
      const headers = new Headers({ 'Set-Cookie': clearCookie(loopCookie) })
      return failure(new ShareError('ERR_SIGN_IN_LOOP'), request, { headers })
    }
    const wanted = safeLocalPath(
      returnTo ?? (request.method === 'GET' ? pathAndQuery(request.url) : '/'),
    )
    const state = encodeBase64url(ctx.random(16))
    // The time is signed too, so a captured authorize URL stops working (the host's max age).
    const issued = Math.floor(config.now() / 1000)
    const checksum = await createChecksum(
      await keys.load(),
      authorizeChecksumData(callbackParam, state, issued),
    )
    // The state and the wanted path wait in an HttpOnly cookie; the host only sees the state.
    const cookie = serializeCookie(
      stateCookie,
      `${state}.${encodeBase64url(utf8(wanted))}`,
      STATE_COOKIE_MAX_AGE_SEC,
    )
    return redirect(
      `${authorizeUrl}?callback=${callbackParam}&state=${state}&t=${issued}&checksum=${checksum}`,
      302,
      { 'Set-Cookie': cookie },
    )
  }

  function readState(request: ShareRequest): { state: string; wanted: string } | null {
    const value = readCookie(request.headers.get('cookie'), stateCookie.name)
    const [state, path, extra] = value?.split('.') ?? []
    if (!state || path === undefined || extra !== undefined) return null
    const bytes = decodeBase64url(path)
    return { state, wanted: safeLocalPath(bytes ? fromUtf8(bytes) : null) }
  }

  /**
   * The app's own first look at a user who just arrived (create the local
   * account, say). If it throws, the new session is ended again: nobody is
   * signed in that the app has not seen.
   */
  async function provision(hook: NonNullable<typeof config.onSignIn>, cookie: string) {
    const resolved = await engine.resolve(cookie, { audience: origin })
    if (!resolved.ok) throw new ShareError('ERR_SESSION_NOT_FOUND')
    try {
      await hook(resolved)
    } catch (error) {
      await engine.logout(resolved.session)
      throw error
    }
  }

  /** `GET <basePath>/login?return=/path`: start a sign-in at the host. */
  const login: Route = async (request) => {
    if (request.method !== 'GET') throw new ShareError('ERR_METHOD_NOT_ALLOWED')
    return loginRedirect(request, new URL(request.url).searchParams.get('return') ?? '/')
  }

  /** `GET <basePath>/callback?token=…`: redeem the host's token for this app's own session. */
  const callback: Route = async (request) => {
    if (request.method !== 'GET') throw new ShareError('ERR_METHOD_NOT_ALLOWED')
    const token = singleParam(new URL(request.url), 'token', MAX_TOKEN_LENGTH)
    if (token === null) throw new ShareError('ERR_TOKEN_MALFORMED')
    const saved = readState(request)
    // No state cookie: this browser never started this sign-in (a replayed or planted token).
    if (saved === null)
      throw new ShareError('ERR_TOKEN_STATE', { detail: missingStateDetail(request) })
    // The response first: nothing may fail after the token is burnt and the session linked.
    const response = redirect(saved.wanted, 303)
    const leeway = config.tokenLeewaySec
    const claims = await unsealSessionId(await keys.load(), token, {
      audience: origin,
      state: saved.state,
      leeway,
      now: config.now(),
    })
    const remainingSec = Math.ceil((claims.expiresAt - config.now()) / 1000) + leeway + 1
    if (!(await consumeTokenId(ctx, claims.tokenId, Math.max(1, remainingSec)))) {
      throw new ShareError('ERR_TOKEN_REPLAYED')
    }
    const { session, cookie } = await engine
      .link({ hostSessionId: claims.sessionId, audience: origin })
      .catch((error: unknown) => {
        if (!isShareError(error) || error.code !== 'ERR_SESSION_NOT_FOUND') throw error
        throw new ShareError('ERR_SESSION_NOT_FOUND', {
          detail:
            "the token is good, but its host session is not in this app's store: the host ended it, or host and remote use different stores or key prefixes (they must share one)",
        })
      })
    if (config.onSignIn) await provision(config.onSignIn, cookie)
    ctx.emit({
      type: 'token.redeemed',
      at: config.now(),
      userId: session.userId,
      handle: session.handle,
      audience: origin,
      ref: await logRef(await keys.load(), token),
    })
    response.headers.append('Set-Cookie', reader.setCookie(cookie, session))
    response.headers.append('Set-Cookie', clearCookie(stateCookie))
    const round = String(rounds(request) + 1)
    response.headers.append(
      'Set-Cookie',
      serializeCookie(loopCookie, round, LOOP_COOKIE_MAX_AGE_SEC),
    )
    return response
  }

  /**
   * `POST <basePath>/logout`: ends this app's session; with the form field
   * `everywhere=1`, every session of the user on every device and app.
   */
  const logout: Route = async (request) => {
    assertSameOriginPost(request, origin)
    const everywhere = isChecked((await readForm(request)).get('everywhere'))
    const { session } = await reader.getSession(request)
    if (session) {
      if (everywhere) await engine.revokeAll(session.userId)
      else await engine.logout(session.session)
    }
    return redirect(config.afterLogoutPath, 303, { 'Set-Cookie': reader.clearCookie() })
  }

  /** `GET <basePath>/session`: the session as JSON, for single-page apps. */
  const session: Route = (request) => sessionJson(request, reader)

  const routes = createRoutes({
    [paths.login]: login,
    [paths.callback]: callback,
    [paths.logout]: logout,
    [paths.session]: session,
  })

  /** The error page of a failed step, with a way to sign in again (a callback also clears its state). */
  function failed(error: unknown, request: ShareRequest, route: Route | undefined): ShareOutcome {
    let again: string = paths.login
    try {
      if (route === callback) refused(error, request)
      again = `${paths.login}?return=${encodeURIComponent(readState(request)?.wanted ?? '/')}`
    } catch {
      // A request that cannot be read (a broken adapter): the plain sign-in link.
    }
    const headers = new Headers()
    if (route === callback) headers.append('Set-Cookie', clearCookie(stateCookie))
    const page = { headers, link: { href: again, label: 'Sign in again' } }
    return { type: 'respond', response: failure(error, request, page) }
  }
  const readFailed = (error: unknown, request: ShareRequest) => failed(error, request, undefined)
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
    handle(request) {
      try {
        const route = routes.find(request.url)
        if (route) return route(request).then(responded, (error) => failed(error, request, route))
        return reader.continueWith(request, readFailed)
      } catch (error) {
        return failed(error, request, undefined)
      }
    },
  }
}
