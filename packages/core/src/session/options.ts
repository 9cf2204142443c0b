import * as v from 'valibot'
import { ShareError } from '../errors.js'
import type { Keyring } from '../keys/keyring.js'
import type { SessionEvent } from './events.js'
import type { SessionStore } from './store.js'

export interface SessionEngineOptions {
  /** From `createKeyring`: its MAC key signs session cookies. */
  keyring: Keyring
  /** Where sessions live; `createMemoryStore()` for one process. */
  store: SessionStore
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
   * the oldest. `null` for no cap.
   * @default null
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
  /** The clock in epoch milliseconds, for tests. @default Date.now */
  now?: () => number
  /** Called for every audit event; errors it throws are swallowed. */
  onEvent?: (event: SessionEvent) => void
}

/** Options after validation, times in milliseconds. */
export interface EngineConfig {
  keyring: Keyring
  store: SessionStore
  idleMs: number
  absoluteMs: number
  rememberMeMs: number
  touchIntervalMs: number
  maxSessionsPerUser: number | null
  clientInfo: 'full' | 'truncated-ip' | 'none'
  verifiedCookieCacheSize: number
  now: () => number
  onEvent: ((event: SessionEvent) => void) | undefined
}

const YEAR_SEC = 366 * 24 * 3600
const seconds = (min: number, max: number) =>
  v.pipe(
    v.number('must be a number of seconds'),
    v.integer('must be whole seconds'),
    v.minValue(min, `must be at least ${min} seconds`),
    v.maxValue(max, `must be at most ${max} seconds`),
  )

const OptionsSchema = v.pipe(
  v.object({
    keyring: v.custom<Keyring>(
      (value) =>
        typeof value === 'object' && value !== null && 'entries' in value && 'current' in value,
      'must come from createKeyring()',
    ),
    store: v.custom<SessionStore>(
      (value) =>
        typeof value === 'object' &&
        value !== null &&
        typeof (value as SessionStore).getWithParent === 'function' &&
        typeof (value as SessionStore).capabilities === 'object',
      'must implement SessionStore (e.g. createMemoryStore())',
    ),
    idleTimeoutSec: v.optional(seconds(60, YEAR_SEC), 1800),
    absoluteLifetimeSec: v.optional(seconds(60, YEAR_SEC), 43_200),
    rememberMeLifetimeSec: v.optional(seconds(60, 10 * YEAR_SEC), 2_592_000),
    touchIntervalSec: v.optional(seconds(0, YEAR_SEC), 60),
    maxSessionsPerUser: v.optional(
      v.nullable(
        v.pipe(v.number(), v.integer(), v.minValue(1, 'must be 1 or more, or null for no cap')),
      ),
      null,
    ),
    clientInfo: v.optional(
      v.picklist(['full', 'truncated-ip', 'none'], 'must be "full", "truncated-ip" or "none"'),
      'full',
    ),
    allowNonAtomicStore: v.optional(v.boolean(), false),
    verifiedCookieCacheSize: v.optional(
      v.pipe(
        v.number(),
        v.integer(),
        v.minValue(0),
        v.maxValue(1_000_000, 'must be at most 1000000'),
      ),
      10_000,
    ),
    now: v.optional(v.function()),
    onEvent: v.optional(v.function()),
  }),
  v.check(
    (options) => options.touchIntervalSec < options.idleTimeoutSec,
    'touchIntervalSec must be below idleTimeoutSec, or active sessions would idle out',
  ),
)

/** Validates engine options once, at start-up; throws `ERR_CONFIG_INVALID` saying what to fix. */
export function readEngineOptions(options: SessionEngineOptions): EngineConfig {
  const result = v.safeParse(OptionsSchema, options)
  if (!result.success) {
    const problems = result.issues.map((issue) => {
      const path = v.getDotPath(issue)
      return path ? `${path} ${issue.message}` : issue.message
    })
    throw new ShareError('ERR_CONFIG_INVALID', { detail: `session engine: ${problems.join('; ')}` })
  }
  const o = result.output
  if (!o.store.capabilities.atomic && !o.allowNonAtomicStore) {
    throw new ShareError('ERR_CONFIG_INVALID', {
      detail: `session engine: store "${o.store.name}" is not atomic, so its replay guard can let a token be used twice in a race; use an atomic store (memory, Redis, Upstash) or pass allowNonAtomicStore: true`,
    })
  }
  return {
    keyring: o.keyring,
    store: o.store,
    idleMs: o.idleTimeoutSec * 1000,
    absoluteMs: o.absoluteLifetimeSec * 1000,
    rememberMeMs: o.rememberMeLifetimeSec * 1000,
    touchIntervalMs: o.touchIntervalSec * 1000,
    maxSessionsPerUser: o.maxSessionsPerUser,
    clientInfo: o.clientInfo,
    verifiedCookieCacheSize: o.verifiedCookieCacheSize,
    now: (o.now as (() => number) | undefined) ?? Date.now,
    onEvent: o.onEvent as ((event: SessionEvent) => void) | undefined,
  }
}
