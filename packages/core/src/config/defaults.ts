import type { SessionOptions } from './options.js'

/**
 * Every default of Share's options, written once. Times are in seconds, the
 * one unit of the public options; the config reader turns them into
 * milliseconds once, at start-up.
 */
export const DEFAULTS = /* @__PURE__ */ Object.freeze({
  /** Where Share's endpoints live on each app. */
  basePath: '/share',
  /** The session cookie's name (`__Host-` prefixed on https). */
  cookieName: 'share_session',
  /** Where logout sends the browser. */
  afterLogoutPath: '/',
  /** Development mode (details on pages and in the console): off. */
  development: false,
  host: Object.freeze({
    /** Lifetime of a hand-off token, seconds. */
    tokenTtlSec: 60,
    /** The host app's own login page. */
    loginPath: '/login',
    /** Where the session-management forms return to. */
    sessionsPath: '/sessions',
    /** The ready devices page at sessionsPath: off (apps usually draw their own). */
    sessionsPage: false,
    allowSubdomainWildcards: false,
    /** `signIn` refuses a POST from another site (login CSRF). */
    allowCrossSiteSignIn: false,
  }),
  remote: Object.freeze({
    /** Clock leeway when opening a token, seconds. */
    tokenLeewaySec: 5,
  }),
  session: Object.freeze<Required<SessionOptions>>({
    idleTimeoutSec: 1800,
    absoluteLifetimeSec: 43_200,
    rememberMeLifetimeSec: 2_592_000,
    touchIntervalSec: 60,
    maxSessionsPerUser: 100,
    clientInfo: 'full',
    allowNonAtomicStore: false,
    verifiedCookieCacheSize: 10_000,
  }),
})

/** The default session cookie name, before any `__Host-` prefix. */
export const DEFAULT_COOKIE_NAME = DEFAULTS.cookieName
