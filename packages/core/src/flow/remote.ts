import { encodeCallback } from '../callback/codec.js'
import { createChecksum } from '../checksum/checksum.js'
import { decodeBase64url, encodeBase64url } from '../encoding/base64url.js'
import { fromUtf8, randomBytes, utf8 } from '../encoding/bytes.js'
import { ShareError } from '../errors.js'
import type { SessionEngine } from '../session/engine.js'
import { MAX_TOKEN_LENGTH } from '../token/format.js'
import { unsealSessionId } from '../token/seal.js'
import { createFlowBase, type FlowOptions, respond, type ShareOutcome } from './base.js'
import { configOrigin } from './config.js'
import { clearCookie, cookieSettings, readCookie, serializeCookie } from './cookies.js'
import {
  assertSameOriginPost,
  pathAndQuery,
  readForm,
  redirect,
  type ShareRequest,
  safeLocalPath,
  singleParam,
  splitUrl,
} from './http.js'

export interface ShareRemoteOptions extends FlowOptions {
  /** The host's public origin (`SHARE_IDP_URL`); its hand-off lives at `<idpUrl><basePath>/authorize`. */
  idpUrl: string
}

export interface ShareRemote {
  /** This app's origin: the audience of the tokens it accepts. */
  readonly origin: string
  readonly engine: SessionEngine
  readonly paths: { readonly login: string; readonly callback: string; readonly logout: string }
  /**
   * Answers Share's own endpoints (start sign-in, redeem a token, logout) and
   * resolves every other request's session. Never throws for bad input.
   */
  handle(request: ShareRequest): Promise<ShareOutcome>
  /** The 302 to the host that starts a sign-in, coming back to `returnTo` (default: this request's path). */
  loginRedirect(request: ShareRequest, returnTo?: string): Promise<Response>
}

/** How long a browser may take to sign in at the host before the state cookie is gone. */
const STATE_COOKIE_MAX_AGE_SEC = 600

/**
 * The remote side of the hand-off: no session → a signed request to the
 * host; a token back → every check of the design, then the remote's own
 * linked session and a 303 to the page the user wanted, the token gone.
 *
 * Exported from `@share/core`.
 *
 * @example
 * ```ts
 * import { createMemoryStore, createShareRemote, fromEnv } from '@share/core'
 * const remote = await createShareRemote({ ...fromEnv(process.env), store: createMemoryStore() })
 * const outcome = await remote.handle(request)
 * ```
 */
export async function createShareRemote(options: ShareRemoteOptions): Promise<ShareRemote> {
  const origin = configOrigin(options.appUrl, 'appUrl (SHARE_APP_URL)')
  const idpOrigin = configOrigin(options.idpUrl, 'idpUrl (SHARE_IDP_URL)')
  const base = await createFlowBase(options, origin, 'remote')
  const { keyring, engine, options: settings } = base
  const stateCookie = cookieSettings('share_state', base.sessionCookie.secure)
  const paths = {
    login: `${settings.basePath}/login`,
    callback: `${settings.basePath}/callback`,
    logout: `${settings.basePath}/logout`,
  }
  const authorizeUrl = `${idpOrigin}${settings.basePath}/authorize`
  // Made once: the remote accepts only linked sessions for its own origin.
  const ownAudience = Object.freeze({ audience: origin })

  async function loginRedirect(request: ShareRequest, returnTo?: string): Promise<Response> {
    const wanted = safeLocalPath(
      returnTo ?? (request.method === 'GET' ? pathAndQuery(request.url) : '/'),
    )
    const state = encodeBase64url(randomBytes(16))
    const callback = encodeCallback(`${origin}${paths.callback}`)
    const checksum = await createChecksum(keyring, `${callback}.${state}`)
    // The state and the wanted path wait in an HttpOnly cookie; the host only sees the state.
    const cookie = serializeCookie(
      stateCookie,
      `${state}.${encodeBase64url(utf8(wanted))}`,
      STATE_COOKIE_MAX_AGE_SEC,
    )
    return redirect(
      `${authorizeUrl}?callback=${callback}&state=${state}&checksum=${checksum}`,
      302,
      {
        'Set-Cookie': cookie,
      },
    )
  }

  function readState(request: ShareRequest): { state: string; wanted: string } | null {
    const value = readCookie(request.headers.get('cookie'), stateCookie.name)
    const [state, path, extra] = value?.split('.') ?? []
    if (!state || path === undefined || extra !== undefined) return null
    const bytes = decodeBase64url(path)
    return { state, wanted: safeLocalPath(bytes ? fromUtf8(bytes) : null) }
  }

  async function redeem(request: ShareRequest, url: URL): Promise<Response> {
    if (request.method !== 'GET') throw new ShareError('ERR_METHOD_NOT_ALLOWED')
    const token = singleParam(url, 'token', MAX_TOKEN_LENGTH)
    if (token === null) throw new ShareError('ERR_TOKEN_MALFORMED')
    const saved = readState(request)
    // No state cookie: this browser never started this sign-in (a replayed or planted token).
    if (saved === null) throw new ShareError('ERR_TOKEN_STATE')
    const leeway = settings.tokenLeewaySec
    const claims = await unsealSessionId(keyring, token, {
      audience: origin,
      state: saved.state,
      leeway,
      now: base.now(),
    })
    const remainingSec = Math.ceil((claims.expiresAt - base.now()) / 1000) + leeway + 1
    if (!(await engine.consumeTokenId(claims.tokenId, Math.max(1, remainingSec)))) {
      throw new ShareError('ERR_TOKEN_REPLAYED')
    }
    const { session, cookie } = await engine.link({
      hostSessionId: claims.sessionId,
      audience: origin,
    })
    const headers = new Headers()
    headers.append('Set-Cookie', base.sessionCookieHeader(cookie, session))
    headers.append('Set-Cookie', clearCookie(stateCookie))
    return redirect(saved.wanted, 303, headers)
  }

  async function logout(request: ShareRequest): Promise<Response> {
    assertSameOriginPost(request, origin)
    const everywhere = ['1', 'true', 'on'].includes(
      (await readForm(request)).get('everywhere') ?? '',
    )
    const { session } = await base.resolve(request, ownAudience)
    if (session) await engine.logout(session.session, { everywhere })
    return redirect(settings.afterLogoutPath, 303, { 'Set-Cookie': base.clearSessionCookie() })
  }

  return {
    origin,
    engine,
    paths,
    loginRedirect,
    async handle(request) {
      // The common case (any page of the app) needs only the path: no URL object.
      const { path } = splitUrl(request.url)
      try {
        switch (path) {
          case paths.login:
            if (request.method !== 'GET') throw new ShareError('ERR_METHOD_NOT_ALLOWED')
            return respond(
              await loginRedirect(request, new URL(request.url).searchParams.get('return') ?? '/'),
            )
          case paths.callback:
            return respond(await redeem(request, new URL(request.url)))
          case paths.logout:
            return respond(await logout(request))
        }
        const { session, headers } = await base.resolve(request, ownAudience)
        return { type: 'continue', session, headers }
      } catch (error) {
        const again = `${paths.login}?return=${encodeURIComponent(readState(request)?.wanted ?? '/')}`
        const headers = new Headers()
        if (path === paths.callback) headers.append('Set-Cookie', clearCookie(stateCookie))
        return base.fail(error, request, { headers, link: { href: again, label: 'Sign in again' } })
      }
    },
  }
}
