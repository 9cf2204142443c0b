import { type AllowListOptions, createAllowList } from '../callback/allow-list.js'
import { decodeCallback } from '../callback/codec.js'
import { MAX_CALLBACK_LENGTH } from '../callback/parse.js'
import { verifyChecksum } from '../checksum/checksum.js'
import { encodedLength, isBase64urlText } from '../encoding/base64url.js'
import { isShareError, ShareError } from '../errors.js'
import type { CreateSessionInput, SessionEngine, SessionSummary } from '../session/engine.js'
import { sealSessionId } from '../token/seal.js'
import {
  createFlowBase,
  type FlowOptions,
  type ResolvedSession,
  respond,
  type ShareOutcome,
} from './base.js'
import { configOrigin } from './config.js'
import {
  assertSameOriginPost,
  errorResponse,
  type HeaderList,
  HOST_PAGE_HEADERS,
  pathAndQuery,
  readForm,
  redirect,
  type ShareRequest,
  safeLocalPath,
  singleParam,
  splitUrl,
} from './http.js'

export interface ShareHostOptions extends FlowOptions, AllowListOptions {
  /** Origins allowed to receive tokens (`SHARE_KNOWN_REMOTES`). */
  knownRemotes: readonly string[]
  /** The host app's own login page; gets `?next=` to resume after sign-in. @default '/login' */
  loginPath?: string
  /** Where the session-management forms return to. @default '/sessions' */
  sessionsPath?: string
}

export interface SignInInput extends Omit<CreateSessionInput, 'client'> {
  /** Where to go after sign-in: a local path (e.g. the hand-off to resume). Anything else becomes `/`. */
  next?: string | null | undefined
}

export interface ShareHost {
  readonly origin: string
  readonly engine: SessionEngine
  readonly paths: {
    readonly authorize: string
    readonly logout: string
    readonly revoke: string
    readonly revokeOthers: string
    readonly revokeAll: string
  }
  /**
   * Answers Share's endpoints (the hand-off, logout, session management) and
   * resolves every other request's host session. Never throws for bad input.
   */
  handle(request: ShareRequest): Promise<ShareOutcome>
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
}

/**
 * The host (identity provider) side of the hand-off: checks the remote's
 * signed request and callback, lets the app's own login run when needed,
 * then seals a token for that remote and redirects back with it.
 *
 * Exported from `@share/core`.
 */
export async function createShareHost(options: ShareHostOptions): Promise<ShareHost> {
  const origin = configOrigin(options.appUrl, 'appUrl (SHARE_APP_URL)')
  const allowList = createAllowList(options.knownRemotes ?? [], options)
  const base = await createFlowBase(options, origin, 'host')
  const { keyring, engine, options: settings } = base
  const prefix = settings.basePath
  const paths = {
    authorize: `${prefix}/authorize`,
    logout: `${prefix}/logout`,
    revoke: `${prefix}/sessions/revoke`,
    revokeOthers: `${prefix}/sessions/revoke-others`,
    revokeAll: `${prefix}/sessions/revoke-all`,
  }
  const pageHeaders = () => new Headers(HOST_PAGE_HEADERS)
  const HOST_PAGE_PAIRS: HeaderList = Object.entries(HOST_PAGE_HEADERS)
  const loginRedirect = (request: ShareRequest): Response =>
    redirect(
      `${settings.loginPath}?next=${encodeURIComponent(pathAndQuery(request.url))}`,
      303,
      pageHeaders(),
    )

  /** The remote's signed request: callback, state and checksum, each exactly once. */
  async function readHandOff(url: URL): Promise<{ callback: URL; state: string }> {
    const callback = singleParam(url, 'callback', encodedLength(MAX_CALLBACK_LENGTH))
    const state = singleParam(url, 'state', 128)
    const checksum = singleParam(url, 'checksum', 64)
    if (callback === null || state === null || checksum === null || !isBase64urlText(state)) {
      throw new ShareError('ERR_REQUEST_INVALID')
    }
    if (!(await verifyChecksum(keyring, `${callback}.${state}`, checksum))) {
      throw new ShareError('ERR_CHECKSUM_INVALID')
    }
    const target = allowList.check(decodeCallback(callback))
    if (!target.ok) throw new ShareError(target.code)
    return { callback: target.url, state }
  }

  async function handOff(request: ShareRequest, url: URL): Promise<Response> {
    if (request.method !== 'GET') throw new ShareError('ERR_METHOD_NOT_ALLOWED')
    const { callback, state } = await readHandOff(url)
    const { session } = await base.resolve(request)
    // Not signed in: the app's login runs, then comes back here with the same query.
    if (session === null) return loginRedirect(request)
    const token = await sealSessionId(
      keyring,
      { sessionId: session.host.id, audience: callback.origin, state, ttl: settings.tokenTtlSec },
      { now: base.now() },
    )
    return redirect(withToken(callback, token), 303, pageHeaders())
  }

  async function manage(request: ShareRequest, action: string): Promise<Response> {
    assertSameOriginPost(request, origin)
    const form = await readForm(request)
    const { session } = await base.resolve(request)
    if (session === null) throw new ShareError('ERR_SESSION_NOT_FOUND')
    const headers = pageHeaders()
    let location = settings.sessionsPath
    if (action === paths.revoke) await engine.revoke(session.userId, form.get('handle') ?? '')
    if (action === paths.revokeOthers) await engine.revokeOthers(session.session)
    if (action === paths.revokeAll || action === paths.logout) {
      if (action === paths.revokeAll) await engine.revokeAll(session.userId)
      else await engine.logout(session.session, { everywhere: true })
      headers.append('Set-Cookie', base.clearSessionCookie())
      location = settings.afterLogoutPath
    }
    return redirect(location, 303, headers)
  }

  return {
    origin,
    engine,
    paths,
    loginRedirect,
    listSessions: (resolved) => engine.list(resolved.userId, resolved.session),

    async signIn(request, input, context = {}) {
      try {
        const previous = await base.resolve(request)
        // Signing in again on this device replaces its session instead of leaving the old one alive.
        if (previous.session) await engine.logout(previous.session.session, { everywhere: true })
        const { next, ...rest } = input
        const client = {
          ip: context.clientIp ?? null,
          userAgent: request.headers.get('user-agent'),
        }
        const { session, cookie } = await engine.create({ ...rest, client })
        const headers = pageHeaders()
        headers.append('Set-Cookie', base.sessionCookieHeader(cookie, session))
        return redirect(safeLocalPath(next), 303, headers)
      } catch (error) {
        // A bad userId is the app's bug and should surface; a store outage is a 503 page.
        if (isShareError(error) && error.status === 500) throw error
        return errorResponse(error, request, { headers: pageHeaders() })
      }
    },

    async handle(request) {
      const { path } = splitUrl(request.url)
      try {
        if (path === paths.authorize) return respond(await handOff(request, new URL(request.url)))
        if (Object.values(paths).includes(path)) return respond(await manage(request, path))
        const { session, headers } = await base.resolve(request)
        return { type: 'continue', session, headers: [...HOST_PAGE_PAIRS, ...headers] }
      } catch (error) {
        return base.fail(error, request, {
          headers: pageHeaders(),
          link: { href: '/', label: 'Back to the start page' },
        })
      }
    },
  }
}

/**
 * The callback with exactly one `token` parameter, added before any
 * fragment; other parameters keep their exact spelling.
 */
export function withToken(callback: URL, token: string): string {
  const url = new URL(callback.href)
  const kept = url.search
    .slice(1)
    .split('&')
    .filter((pair) => pair !== '' && decodeName(pair) !== 'token')
  url.search = [...kept, `token=${token}`].join('&')
  return url.href
}

function decodeName(pair: string): string {
  const name = pair.split('=', 1)[0] ?? ''
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '))
  } catch {
    return name
  }
}
