import * as v from 'valibot'
import {
  type AllowList,
  createAllowList,
  isLoopbackHost,
  parseOrigin,
} from '../callback/allow-list.js'
import { isShareError, ShareError } from '../errors.js'
import type { CookieSettings } from '../flow/cookies.js'
import { createKeySource, type KeySource } from '../keys/key-source.js'
import type { SessionEvent } from '../session/events.js'
import type { SessionStore } from '../session/store.js'
import { DEFAULTS } from './defaults.js'
import type {
  CommonOptions,
  CookieOptions,
  SessionOptions,
  ShareHostOptions,
  ShareRemoteOptions,
} from './options.js'
import { HostSchema, OPTION_HOMES, RemoteSchema, SessionSchema } from './schema.js'

/** The session engine's settings after validation: times in milliseconds. */
export interface EngineConfig {
  readonly keys: KeySource
  readonly store: SessionStore
  readonly idleMs: number
  readonly absoluteMs: number
  readonly rememberMeMs: number
  readonly touchIntervalMs: number
  readonly maxSessionsPerUser: number | null
  readonly clientInfo: 'full' | 'truncated-ip' | 'none'
  readonly verifiedCookieCacheSize: number
  readonly now: () => number
  readonly onEvent: ((event: SessionEvent) => void) | undefined
}

/** What both roles run on, validated and frozen once at creation. */
export interface FlowConfig {
  /** This app's origin, normalized. */
  readonly origin: string
  readonly basePath: string
  readonly cookie: CookieSettings
  readonly afterLogoutPath: string
  readonly now: () => number
  readonly engine: EngineConfig
  readonly onError: CommonOptions['onError']
  readonly development: boolean
}

export interface HostConfig extends FlowConfig {
  readonly allowList: AllowList
  /** The keys of remotes that hold their own, by origin; the others use the host's. */
  readonly remoteKeys: ReadonlyMap<string, KeySource>
  readonly allowCrossSiteSignIn: boolean
  readonly tokenTtlSec: number
  readonly loginPath: string
  readonly sessionsPath: string
  readonly sessionsPage: boolean
}

export interface RemoteConfig extends FlowConfig {
  readonly hostOrigin: string
  readonly onSignIn: ShareRemoteOptions['onSignIn']
  readonly tokenLeewaySec: number
}

/** Validates and normalises `createShareHost` options; throws `ERR_CONFIG_INVALID` saying what to fix. */
export function readHostConfig(options: ShareHostOptions): HostConfig {
  const o = validate(HostSchema, options, 'createShareHost') as ShareHostOptions
  const host = DEFAULTS.host
  return Object.freeze({
    ...flowConfig(o, 'createShareHost'),
    allowList: knownRemotes(o),
    remoteKeys: remoteKeys(o),
    allowCrossSiteSignIn: o.allowCrossSiteSignIn ?? host.allowCrossSiteSignIn,
    tokenTtlSec: o.tokenTtlSec ?? host.tokenTtlSec,
    loginPath: o.loginPath ?? host.loginPath,
    sessionsPath: o.sessionsPath ?? host.sessionsPath,
    sessionsPage: o.sessionsPage ?? host.sessionsPage,
  })
}

/** The host's allow-list; an empty one names the option and the env var that fill it. */
function knownRemotes(o: ShareHostOptions): AllowList {
  if (o.knownRemotes.length === 0) {
    problem(
      'createShareHost',
      'knownRemotes (SHARE_KNOWN_REMOTES) is empty: list the remotes allowed to sign in here, e.g. ["https://app-a.example.com"]',
    )
  }
  const origins = o.knownRemotes.map((entry) => (typeof entry === 'string' ? entry : entry.origin))
  return createAllowList(origins, {
    allowSubdomainWildcards: o.allowSubdomainWildcards ?? DEFAULTS.host.allowSubdomainWildcards,
  })
}

/** Per-remote keys, checked now (a malformed key fails at start-up, naming the remote). */
function remoteKeys(o: ShareHostOptions): ReadonlyMap<string, KeySource> {
  const keys = new Map<string, KeySource>()
  for (const entry of o.knownRemotes) {
    if (typeof entry === 'string') continue
    const origin = parseOrigin(entry.origin, 'knownRemotes').origin
    if (keys.has(origin)) problem('createShareHost', `knownRemotes lists ${origin} twice`)
    try {
      keys.set(origin, createKeySource(entry.syncKey))
    } catch (error) {
      if (isShareError(error)) {
        throw new ShareError('ERR_KEY_INVALID', {
          detail: `knownRemotes ${origin}: ${error.detail}`,
        })
      }
      throw error
    }
  }
  return keys
}

/** Validates and normalises `createShareRemote` options; throws `ERR_CONFIG_INVALID` saying what to fix. */
export function readRemoteConfig(options: ShareRemoteOptions): RemoteConfig {
  const o = validate(RemoteSchema, options, 'createShareRemote') as ShareRemoteOptions
  return Object.freeze({
    ...flowConfig(o, 'createShareRemote'),
    hostOrigin: parseOrigin(o.hostUrl, 'hostUrl (SHARE_HOST_URL)').origin,
    tokenLeewaySec: o.tokenLeewaySec ?? DEFAULTS.remote.tokenLeewaySec,
    onSignIn: o.onSignIn,
  })
}

/** The engine's settings from the `session` group, the store, the keys and the clock. */
export function readEngineConfig(
  session: SessionOptions | undefined,
  parts: Pick<EngineConfig, 'keys' | 'store'> & {
    now?: (() => number) | undefined
    onEvent?: ((event: SessionEvent) => void) | undefined
  },
  label = 'createSessionEngine',
): EngineConfig {
  const s = withDefaults(
    DEFAULTS.session,
    validate(SessionSchema, session ?? {}, `${label}: session`),
  )
  if (s.touchIntervalSec >= s.idleTimeoutSec) {
    problem(
      label,
      'session.touchIntervalSec must be below session.idleTimeoutSec, or active sessions would idle out',
    )
  }
  if (!parts.store.capabilities.atomic && !s.allowNonAtomicStore) {
    problem(
      label,
      `store "${parts.store.name}" is not atomic, so its replay guard can let a token be used twice in a race; use an atomic store (memory, Redis, Upstash) or pass session: { allowNonAtomicStore: true }`,
    )
  }
  return Object.freeze({
    keys: parts.keys,
    store: parts.store,
    idleMs: s.idleTimeoutSec * 1000,
    absoluteMs: s.absoluteLifetimeSec * 1000,
    rememberMeMs: s.rememberMeLifetimeSec * 1000,
    touchIntervalMs: s.touchIntervalSec * 1000,
    maxSessionsPerUser: s.maxSessionsPerUser,
    clientInfo: s.clientInfo,
    verifiedCookieCacheSize: s.verifiedCookieCacheSize,
    now: parts.now ?? Date.now,
    onEvent: parts.onEvent,
  })
}

function flowConfig(o: CommonOptions, label: string): FlowConfig {
  const origin = parseOrigin(o.appUrl, 'appUrl (SHARE_APP_URL)').origin
  const secure = isSecureOrigin(origin)
  const baseName = o.cookieName ?? DEFAULTS.cookieName
  const cookie = sessionCookie(baseName, origin, secure, o.cookie ?? {}, label)
  const now = o.now ?? Date.now
  return {
    origin,
    basePath: o.basePath ?? DEFAULTS.basePath,
    cookie,
    afterLogoutPath: o.afterLogoutPath ?? DEFAULTS.afterLogoutPath,
    now,
    onError: o.onError,
    development: o.development ?? DEFAULTS.development,
    engine: readEngineConfig(
      o.session,
      { keys: createKeySource(o.syncKey), store: o.store, now, onEvent: auditHook(o, origin) },
      label,
    ),
  }
}

/** The session cookie's settings, refusing the combinations a browser would drop or that are unsafe. */
function sessionCookie(
  baseName: string,
  origin: string,
  httpsOrigin: boolean,
  options: CookieOptions,
  label: string,
): CookieSettings {
  const host = new URL(origin).hostname
  if (options.secure === false && httpsOrigin) {
    problem(
      label,
      'cookie.secure cannot be false on an https appUrl: an http page could then overwrite the session cookie',
    )
  }
  const secure = options.secure ?? httpsOrigin
  const sameSite = options.sameSite === 'none' ? 'None' : 'Lax'
  if (sameSite === 'None' && !secure) {
    problem(
      label,
      'cookie.sameSite "none" needs a Secure cookie: browsers drop SameSite=None without it (use https)',
    )
  }
  const { domain } = options
  if (domain !== undefined) {
    if (host !== domain && !host.endsWith(`.${domain}`)) {
      problem(
        label,
        `cookie.domain "${domain}" is not ${host} or a parent of it: the browser would refuse the cookie`,
      )
    }
    if (!domain.includes('.') && domain !== 'localhost') {
      problem(
        label,
        `cookie.domain "${domain}" is a single label: a cookie for a whole top-level domain is refused`,
      )
    }
  }
  // `__Host-`: no subdomain or http page can set or read it; `__Secure-` when a Domain is shared.
  const prefix = !secure ? '' : domain === undefined ? '__Host-' : '__Secure-'
  return Object.freeze({
    name: `${prefix}${baseName}`,
    secure,
    sameSite,
    ...(domain === undefined ? {} : { domain }),
  })
}

/**
 * The engine's one event hook: the app's `onEvent`, and the audit `logger`
 * (or JSON console lines in development), each entry tagged with this app.
 */
function auditHook(o: CommonOptions, app: string): ((event: SessionEvent) => void) | undefined {
  const logger =
    o.logger ??
    (o.development ? { info: (entry: object) => console.log(JSON.stringify(entry)) } : undefined)
  const { onEvent } = o
  if (!logger) return onEvent
  return (event) => {
    onEvent?.(event)
    logger.info({ ...event, app, at: new Date(event.at).toISOString() })
  }
}

/** True when cookies for this origin must be Secure (anything but http on a loopback host). */
export function isSecureOrigin(origin: string): boolean {
  const url = new URL(origin)
  return !(url.protocol === 'http:' && isLoopbackHost(url.hostname))
}

/** `defaults` with every option the user gave; an option given as undefined keeps its default. */
function withDefaults<T extends object>(
  defaults: T,
  given: { [K in keyof T]?: T[K] | undefined },
): T {
  const out = { ...defaults }
  for (const key of Object.keys(given) as (keyof T)[]) {
    if (given[key] !== undefined) out[key] = given[key] as T[keyof T]
  }
  return out
}

function validate<T extends v.GenericSchema>(
  schema: T,
  options: unknown,
  label: string,
): v.InferOutput<T> {
  if (typeof options !== 'object' || options === null) {
    problem(label, 'options must be an object')
  }
  const result = v.safeParse(schema, options)
  if (result.success) return result.output
  problem(label, result.issues.map((issue) => describe(issue, label)).join('; '))
}

/** One issue in words: where the option is, what is wrong, and for a misplaced one, where it goes. */
function describe(issue: v.BaseIssue<unknown>, label: string): string {
  const path = v.getDotPath(issue) ?? ''
  if (issue.type !== 'strict_object') return `${path} ${issue.message}`
  // A required option that is not there (valibot expects its key), not an unknown one.
  if (issue.expected !== 'never') return `${path} is required${REQUIRED_HINTS[path] ?? ''}`
  const key = String(issue.input)
  const home = OPTION_HOMES[key]
  const inSession = path.startsWith('session.')
  const role = label.includes('Host') ? 'host' : label.includes('Remote') ? 'remote' : null
  if (home === 'renamed')
    return `${path} is now called hostUrl (env SHARE_HOST_URL or SHARE_IDP_URL)`
  if (home === 'session' && !inSession)
    return `${path} belongs in the session group: session: { ${key} }`
  if (home === 'top' && inSession)
    return `${path} belongs at the top level of the options, not under session`
  if ((home === 'host' || home === 'remote') && home !== role) {
    return `${path} is a ${home} option: pass it to createShare${home === 'host' ? 'Host' : 'Remote'}`
  }
  return `${path} is not an option of ${label}`
}

/** What a required option is, said where it is missing. */
const REQUIRED_HINTS: Record<string, string> = {
  syncKey:
    ': the key shared by the host and every remote (env SHARE_SYNC_KEY; `npx @share/cli keygen` makes one)',
  appUrl: ": this app's own public origin, e.g. https://app.example.com (env SHARE_APP_URL)",
  hostUrl: ": the host's public origin, e.g. https://login.example.com (env SHARE_HOST_URL)",
  knownRemotes:
    ": the remotes' origins allowed to receive tokens, e.g. ['https://app.example.com'] (env SHARE_KNOWN_REMOTES)",
  store: ': where sessions live, e.g. createMemoryStore() or redisStore({ client })',
}

function problem(label: string, detail: string): never {
  throw new ShareError('ERR_CONFIG_INVALID', { detail: `${label}: ${detail}` })
}
