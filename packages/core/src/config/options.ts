import type { ShareError } from '../errors.js'
import type { ResolvedSession } from '../flow/session-reader.js'
import type { SessionEvent } from '../session/events.js'
import type { SessionStore } from '../session/store.js'

/**
 * The options of `createShareHost` and `createShareRemote`, as users write
 * them. One schema (./schema.ts) validates them; ./read.ts turns them into
 * the frozen config the handlers run on.
 */

/** Session timeouts and policy: the `session` group of both roles' options. */
export interface SessionOptions {
  /**
   * Sliding idle timeout in seconds: a session unused this long ends.
   * @default 1800 (30 minutes)
   */
  idleTimeoutSec?: number
  /**
   * Absolute lifetime in seconds, however active the session is.
   * @default 43200 (12 hours)
   */
  absoluteLifetimeSec?: number
  /**
   * Lifetime of a remember-me session in seconds. Such a session does not
   * idle out: it lasts this long from sign-in.
   * @default 2592000 (30 days)
   */
  rememberMeLifetimeSec?: number
  /**
   * `lastSeenAt` and the idle expiry are written at most once per this many
   * seconds, not on every request. Must be below `idleTimeoutSec`.
   * @default 60
   */
  touchIntervalSec?: number
  /**
   * The most live sessions (devices) per user; a new sign-in past it revokes
   * the oldest, so one account signing in again and again cannot fill the
   * store. `null` for no cap (not recommended).
   * @default 100
   */
  maxSessionsPerUser?: number | null
  /**
   * What is kept of the client: `full` (IP and user agent), `truncated-ip`
   * (IPv4 /24, IPv6 /48, and the user agent) or `none`.
   * @default 'full'
   */
  clientInfo?: 'full' | 'truncated-ip' | 'none'
  /**
   * Accept a store whose `capabilities.atomic` is false. Its replay guard can
   * then, in a race, let one hand-off token be redeemed twice.
   * @default false
   */
  allowNonAtomicStore?: boolean
  /**
   * Cookie values whose MAC already verified, remembered to skip the crypto
   * on later requests. 0 turns the cache off.
   * @default 10000
   */
  verifiedCookieCacheSize?: number
}

/**
 * The session cookie's attributes. It is always `HttpOnly` and `Path=/`.
 * The short-lived state cookie of a sign-in stays host-only and `Lax`.
 */
export interface CookieOptions {
  /**
   * Share the session cookie with subdomains of this domain (the app's host
   * or a parent of it). The cookie is then `__Secure-` prefixed instead of
   * `__Host-`. Host-only when absent, which is safer: a subdomain cannot read
   * or overwrite it.
   * @default undefined
   */
  domain?: string
  /**
   * `lax` (the default) is what the protocol's cross-site redirects need.
   * `none` only for an app embedded in another site's frames; it needs
   * https. `strict` is refused: the browser would withhold the cookie on the
   * redirect back from the host, and every sign-in would loop.
   * @default 'lax'
   */
  sameSite?: 'lax' | 'none'
  /**
   * `Secure` is set whenever `appUrl` is https and cannot be turned off there
   * (an http page could then overwrite the session cookie); on http loopback
   * it is off unless set to true.
   * @default true on https, false on http loopback
   */
  secure?: boolean
}

/** Where audit entries go: any object with `info(entry)`, such as a pino logger. */
export interface AuditLogger {
  info(entry: Readonly<Record<string, unknown>>): void
}

/** Options both roles take. */
export interface CommonOptions {
  /** The sync key (`SHARE_SYNC_KEY`), or several newest first during a rotation. */
  syncKey: string | readonly string[]
  /** This app's public origin (`SHARE_APP_URL`); never taken from Host or X-Forwarded-* headers. */
  appUrl: string
  /** Where sessions live: the same store, with the same prefix, at the host and every remote. */
  store: SessionStore
  /** Where Share's endpoints live on this app. @default '/share' */
  basePath?: string
  /** Session cookie name, `__Host-` prefixed on https. @default 'share_session' */
  cookieName?: string
  /** Attributes of the session cookie; the defaults are the safe ones. */
  cookie?: CookieOptions
  /** Where logout sends the browser. @default '/' */
  afterLogoutPath?: string
  /** Session timeouts and policy. */
  session?: SessionOptions
  /**
   * The clock in epoch milliseconds, shared by the session engine, the token
   * code and the handlers (pass the memory store the same one in tests).
   * @default Date.now
   */
  now?: () => number
  /** Called for every audit event; errors it throws are swallowed. */
  onEvent?: (event: SessionEvent) => void
  /**
   * The audit log: every event (sign-in, token issued, redeemed or refused
   * with its reason, session revoked, logout, store unavailable) as one
   * object, `logger.info(entry)`: pino fits as it is, or
   * `{ info: (entry) => console.log(JSON.stringify(entry)) }`. Entries carry
   * this app's origin as `app`, user ids and session handles, never a token,
   * session id or cookie (tokens appear as a short keyed hash, `ref`).
   * @default none (with `development: true`: JSON lines on the console)
   */
  logger?: AuditLogger
  /**
   * Called for every request Share refuses with an error page, with the
   * `ShareError` and its `detail`: the cause and the fix, for the developer
   * (the refused origin, the key ids that differ, the measured clock skew).
   * The page itself shows fixed text per code. Never given a token, cookie
   * or key; the path is passed without its query.
   */
  onError?: (error: ShareError, request: { method: string; path: string }) => void
  /**
   * Development mode: without `onError`, errors are logged with `console.warn`,
   * and error pages show the detail too. Never turn it on in production:
   * details name origins and key ids.
   * @default false
   */
  development?: boolean
}

/**
 * A remote with its own sync key: it can then open only tokens sealed for
 * it, and cannot sign a hand-off request (or mint a token) another remote
 * would accept.
 */
export interface RemoteEntry {
  /** The remote's origin, as in the allow-list. */
  origin: string
  /** The key this remote holds (or several, newest first, during its rotation). */
  syncKey: string | readonly string[]
}

/** Options of `createShareHost`. */
export interface ShareHostOptions extends CommonOptions {
  /**
   * Origins allowed to receive tokens (`SHARE_KNOWN_REMOTES`). An entry may
   * carry the remote's own key (`{ origin, syncKey }`); remotes listed as a
   * plain origin share the host's `syncKey`.
   */
  knownRemotes: readonly (string | RemoteEntry)[]
  /**
   * Accept entries of the form `https://*.example.com` in `knownRemotes`,
   * matching any host one or more labels below `example.com`.
   *
   * > [!IMPORTANT]
   * > Every subdomain then receives sign-in tokens: only opt in when every
   * > subdomain, present and future, is yours. Never use a public suffix.
   *
   * @default false
   */
  allowSubdomainWildcards?: boolean
  /**
   * Let `host.signIn` accept a POST from another site. By default it refuses
   * one (`ERR_ORIGIN_MISMATCH`, 403), as every state-changing endpoint does:
   * a cross-site form posting an attacker's credentials would otherwise sign
   * the victim's browser in as the attacker (login CSRF), at the host and
   * every remote.
   *
   * > [!IMPORTANT]
   * > Only for a login that really is posted from another origin, with its
   * > own CSRF token checked by the app before it calls `signIn`.
   *
   * @default false
   */
  allowCrossSiteSignIn?: boolean
  /** Lifetime of hand-off tokens in seconds, 1 to 600. @default 60 */
  tokenTtlSec?: number
  /** The host app's own login page; gets `?next=` to resume after sign-in. @default '/login' */
  loginPath?: string
  /** Where the session-management forms return to. @default '/sessions' */
  sessionsPath?: string
  /**
   * Serve a ready devices page at `sessionsPath`: the signed-in user's
   * sessions, revoke one, sign out the others, log out everywhere; as JSON
   * for `Accept: application/json`. Off by default: most apps draw their own
   * with `host.listSessions()`.
   * @default false
   */
  sessionsPage?: boolean
}

/** Options of `createShareRemote`. */
export interface ShareRemoteOptions extends CommonOptions {
  /**
   * The host's public origin (`SHARE_HOST_URL`, or `SHARE_IDP_URL` as in the
   * PHP bundle); its hand-off lives at `<hostUrl><basePath>/authorize`.
   */
  hostUrl: string
  /** Clock leeway when opening tokens in seconds, 0 to 30. @default 5 */
  tokenLeewaySec?: number
  /**
   * Called when a user arrives at this remote through a hand-off, with their
   * new session: provision the app's local user here. If it throws, that
   * session is ended and the browser gets an error page.
   */
  onSignIn?: (session: ResolvedSession) => void | Promise<void>
}
