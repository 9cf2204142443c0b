import * as v from 'valibot'
import { safeLocalPath } from '../flow/paths.js'
import type { SessionStore } from '../session/store.js'
import { MAX_TOKEN_TTL_SEC } from '../token/format.js'
import { MAX_LEEWAY_SEC } from '../token/seal.js'

/**
 * The one schema of Share's options. Strict at every level: an unknown or
 * misplaced option is an error (./read.ts words it, naming the right
 * place). Defaults are not here but in ./defaults.ts, applied once by the
 * reader, so no default is written twice.
 */

const YEAR_SEC = 366 * 24 * 3600

const seconds = (min: number, max: number) =>
  v.pipe(
    v.number('must be a number of seconds'),
    v.integer('must be whole seconds'),
    v.minValue(min, `must be at least ${min} seconds`),
    v.maxValue(max, `must be at most ${max} seconds`),
  )

const localPath = v.pipe(
  v.string('must be a path'),
  v.check(
    (value) => safeLocalPath(value, '') === value,
    'must be a local path starting with one /',
  ),
)

const text = v.string('must be a string')

export const SessionSchema = v.strictObject({
  idleTimeoutSec: v.optional(seconds(60, YEAR_SEC)),
  absoluteLifetimeSec: v.optional(seconds(60, YEAR_SEC)),
  rememberMeLifetimeSec: v.optional(seconds(60, 10 * YEAR_SEC)),
  touchIntervalSec: v.optional(seconds(0, YEAR_SEC)),
  maxSessionsPerUser: v.optional(
    v.nullable(
      v.pipe(v.number(), v.integer(), v.minValue(1, 'must be 1 or more, or null for no cap')),
    ),
  ),
  clientInfo: v.optional(
    v.picklist(['full', 'truncated-ip', 'none'], 'must be "full", "truncated-ip" or "none"'),
  ),
  allowNonAtomicStore: v.optional(v.boolean('must be true or false')),
  verifiedCookieCacheSize: v.optional(
    v.pipe(
      v.number(),
      v.integer(),
      v.minValue(0, 'must be 0 or more'),
      v.maxValue(1_000_000, 'must be at most 1000000'),
    ),
  ),
})

const store = v.custom<SessionStore>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    typeof (value as SessionStore).getWithParent === 'function' &&
    typeof (value as SessionStore).capabilities === 'object',
  'must implement SessionStore (createMemoryStore(), redisStore(), upstashStore(), unstorageStore())',
)

const commonEntries = {
  // The key's own format is checked by the keyring, which words its errors without the key.
  syncKey: v.union([text, v.array(text)], 'must be a sync key or a list of them'),
  appUrl: text,
  store,
  basePath: v.optional(
    v.pipe(
      text,
      v.regex(
        /^\/[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*$/,
        'must look like /share (no trailing slash)',
      ),
    ),
  ),
  cookieName: v.optional(
    v.pipe(text, v.regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1 to 64 letters, digits, _ or -')),
  ),
  afterLogoutPath: v.optional(localPath),
  cookie: v.optional(
    v.strictObject({
      domain: v.optional(
        v.pipe(
          text,
          v.regex(
            /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/,
            'must be a lower-case host name such as example.com (no scheme, port or leading dot)',
          ),
        ),
      ),
      sameSite: v.optional(
        v.picklist(
          ['lax', 'none'],
          'must be "lax" or "none" ("strict" would drop the cookie on the redirect back from the host, and sign-in would loop)',
        ),
      ),
      secure: v.optional(v.boolean('must be true or false')),
    }),
  ),
  session: v.optional(SessionSchema),
  now: v.optional(v.function('must be a function returning epoch milliseconds')),
  onEvent: v.optional(v.function('must be a function')),
  onError: v.optional(v.function('must be a function')),
  logger: v.optional(
    v.custom<{ info: unknown }>(
      (value) =>
        typeof value === 'object' &&
        value !== null &&
        typeof (value as { info?: unknown }).info === 'function',
      'must have an info(entry) method, as a pino logger has',
    ),
  ),
  development: v.optional(v.boolean('must be true or false')),
}

export const HostSchema = v.strictObject({
  ...commonEntries,
  knownRemotes: v.array(
    v.union(
      [
        text,
        v.strictObject({
          origin: text,
          syncKey: v.union([text, v.array(text)], 'must be a sync key or a list of them'),
        }),
      ],
      'each entry must be an origin, or { origin, syncKey }',
    ),
    'must be a list of origins',
  ),
  allowSubdomainWildcards: v.optional(v.boolean('must be true or false')),
  allowCrossSiteSignIn: v.optional(v.boolean('must be true or false')),
  tokenTtlSec: v.optional(seconds(1, MAX_TOKEN_TTL_SEC)),
  loginPath: v.optional(localPath),
  sessionsPath: v.optional(localPath),
  sessionsPage: v.optional(v.boolean('must be true or false')),
})

export const RemoteSchema = v.strictObject({
  ...commonEntries,
  hostUrl: text,
  onSignIn: v.optional(v.function('must be a function')),
  tokenLeewaySec: v.optional(
    v.pipe(
      v.number('must be a number of seconds'),
      v.minValue(0, 'must be 0 or more'),
      v.maxValue(MAX_LEEWAY_SEC, `must be at most ${MAX_LEEWAY_SEC} seconds`),
    ),
  ),
})

/** Which group each option belongs to, for the error that names a misplaced one. */
export const OPTION_HOMES: Readonly<Record<string, string>> = Object.freeze({
  ...Object.fromEntries(Object.keys(SessionSchema.entries).map((key) => [key, 'session'])),
  knownRemotes: 'host',
  allowSubdomainWildcards: 'host',
  allowCrossSiteSignIn: 'host',
  tokenTtlSec: 'host',
  loginPath: 'host',
  sessionsPath: 'host',
  sessionsPage: 'host',
  hostUrl: 'remote',
  idpUrl: 'renamed',
  tokenLeewaySec: 'remote',
  onSignIn: 'remote',
  ...Object.fromEntries(Object.keys(commonEntries).map((key) => [key, 'top'])),
})
