import { createKeyring, type Keyring } from '../keys/keyring.js'
import { createSessionEngine, type SessionEngine } from '../session/engine.js'
import type { SessionEngineOptions } from '../session/options.js'
import type { JsonValue, SessionRecord } from '../session/record.js'
import type { SessionStore } from '../session/store.js'
import { type HandlerOptions, isSecureOrigin, readHandlerOptions } from './config.js'
import {
  type CookieSettings,
  clearCookie,
  cookieSettings,
  readCookie,
  serializeCookie,
} from './cookies.js'
import { type ErrorPageOptions, errorResponse, type HeaderList, type ShareRequest } from './http.js'

/** Options shared by `createShareHost` and `createShareRemote`. */
export interface FlowOptions {
  /** The sync key (`SHARE_SYNC_KEY`), or several newest first during a rotation. */
  syncKey: string | readonly string[]
  /** This app's public origin (`SHARE_APP_URL`); never taken from Host or X-Forwarded-* headers. */
  appUrl: string
  store: SessionStore
  /** Where Share's endpoints live on this app. @default '/share' */
  basePath?: string
  /** Session cookie name, `__Host-` prefixed on https. @default 'share_session' */
  cookieName?: string
  /** Where logout sends the browser. @default '/' */
  afterLogoutPath?: string
  /** Lifetime of hand-off tokens in seconds (host), 1 to 600. @default 60 */
  tokenTtlSec?: number
  /** Clock leeway when opening tokens in seconds (remote), 0 to 30. @default 5 */
  tokenLeewaySec?: number
  /** Session engine settings: timeouts, cap per user, client info, `onEvent`, `now`. */
  session?: Omit<SessionEngineOptions, 'keyring' | 'store'>
}

/** A request's live session, as the handlers hand it to the app. */
export interface ResolvedSession {
  /** The session the cookie names (at a remote, its linked session). */
  readonly session: SessionRecord
  /** The host session behind it (the same record at the host). */
  readonly host: SessionRecord
  readonly userId: string
  /** What the host shares about the user. */
  readonly user: JsonValue | null
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
    }

export interface FlowBase {
  origin: string
  keyring: Keyring
  engine: SessionEngine
  options: HandlerOptions
  sessionCookie: CookieSettings
  now: () => number
  /** The request's session for this app (`expect.audience` at a remote), and headers (clear a stale cookie). */
  resolve(
    request: ShareRequest,
    expect?: { readonly audience: string },
  ): Promise<{ session: ResolvedSession | null; headers: HeaderList }>
  sessionCookieHeader(cookie: string, session: SessionRecord): string
  clearSessionCookie(): string
  fail(error: unknown, request: ShareRequest, page?: ErrorPageOptions): ShareOutcome
}

export async function createFlowBase(
  options: FlowOptions,
  origin: string,
  label: string,
): Promise<FlowBase> {
  const handlerOptions = readHandlerOptions(options, label)
  const keyring = await createKeyring(options.syncKey as string | string[])
  const engine = createSessionEngine({ ...options.session, keyring, store: options.store })
  const sessionCookie = cookieSettings(handlerOptions.cookieName, isSecureOrigin(origin))
  const now = options.session?.now ?? Date.now

  return {
    origin,
    keyring,
    engine,
    options: handlerOptions,
    sessionCookie,
    now,
    async resolve(request, expect) {
      const value = readCookie(request.headers.get('cookie'), sessionCookie.name)
      const result = await engine.resolve(value, expect)
      if (!result.ok) {
        // A cookie that names no live session is dropped, so the browser stops sending it.
        const headers =
          value === undefined ? NO_HEADERS : [['Set-Cookie', clearCookie(sessionCookie)] as const]
        return { session: null, headers }
      }
      // The engine's result already has the ResolvedSession fields: no copy per request.
      return { session: result, headers: NO_HEADERS }
    },
    sessionCookieHeader(cookie, session) {
      // Remember-me sessions survive a browser restart; others end with it.
      const maxAge = session.rememberMe ? (session.absoluteExpiresAt - now()) / 1000 : undefined
      return serializeCookie(sessionCookie, cookie, maxAge)
    },
    clearSessionCookie: () => clearCookie(sessionCookie),
    fail(error, request, page) {
      return { type: 'respond', response: errorResponse(error, request, page) }
    },
  }
}

export const respond = (response: Response): ShareOutcome => ({ type: 'respond', response })

const NO_HEADERS: HeaderList = Object.freeze([])
