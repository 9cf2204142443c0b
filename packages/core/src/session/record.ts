import { ShareError } from '../errors.js'
import { SESSION_ID_LENGTH } from './ids.js'

/**
 * What a store keeps per session. Times are epoch milliseconds. A host
 * session is one login on one device; a linked session is what a remote
 * holds after a hand-off, alive only while its parent host session is.
 */
export interface SessionRecord {
  /** Secret: `userTag(userId)` + 43 random base64url characters. Never shown to users. */
  readonly id: string
  readonly kind: 'host' | 'linked'
  readonly userId: string
  /** Opaque, non-secret name for listing and revoking (22 base64url characters). */
  readonly handle: string
  /** Linked sessions: the host session they hang from. */
  readonly parentId: string | null
  /** Linked sessions: the remote's origin. */
  readonly audience: string | null
  /** Host sessions: the JSON the host shares with its remotes. */
  readonly user: JsonValue | null
  readonly createdAt: number
  readonly lastSeenAt: number
  /** Sliding: moves with activity, never past `absoluteExpiresAt`. */
  readonly idleExpiresAt: number
  readonly absoluteExpiresAt: number
  readonly rememberMe: boolean
  readonly client: ClientInfo | null
  /** Host sessions: the remotes this login reached. */
  readonly remotes: readonly RemoteVisit[]
  /** Bumped by every update; stores compare-and-set on it. */
  readonly version: number
}

export interface ClientInfo {
  readonly ip: string | null
  readonly userAgent: string | null
}

export interface RemoteVisit {
  readonly audience: string
  readonly firstSeenAt: number
  readonly lastSeenAt: number
}

export type JsonValue =
  | string
  | number
  | boolean
  | null
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue }

/** When a record stops being alive: whichever expiry comes first. */
export function expiresAt(record: SessionRecord): number {
  return Math.min(record.idleExpiresAt, record.absoluteExpiresAt)
}

export function isAlive(record: SessionRecord, now: number): boolean {
  return now < expiresAt(record)
}

/** A problem with a record's shape, as the field's name, or null when it is valid. */
function recordProblem(record: unknown): string | null {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return 'record'
  const r = record as Record<string, unknown>
  // Hand-written rather than a schema library: this runs on every request for stores that
  // keep text, and a generic validator of the user JSON cost more than the Redis round trip.
  if (Object.keys(r).length !== FIELDS) return 'record (unknown fields)'
  if (!isText(r.id, 1024) || r.id === '') return 'id'
  if (r.kind !== 'host' && r.kind !== 'linked') return 'kind'
  if (!isText(r.userId, 1024) || r.userId === '') return 'userId'
  if (!isText(r.handle, 64)) return 'handle'
  if (r.parentId !== null && !isText(r.parentId, 1024)) return 'parentId'
  if (r.audience !== null && !isText(r.audience, 255)) return 'audience'
  if (!('user' in r) || r.user === undefined) return 'user'
  for (const field of ['createdAt', 'lastSeenAt', 'idleExpiresAt', 'absoluteExpiresAt'] as const) {
    if (!isTime(r[field])) return field
  }
  if (typeof r.rememberMe !== 'boolean') return 'rememberMe'
  if (r.client !== null && !isClient(r.client)) return 'client'
  if (!Array.isArray(r.remotes) || !r.remotes.every(isVisit)) return 'remotes'
  if (!Number.isSafeInteger(r.version) || (r.version as number) < 1) return 'version'
  return null
}

const FIELDS = 15
const isText = (value: unknown, max: number): value is string =>
  typeof value === 'string' && value.length <= max
const isTime = (value: unknown) => Number.isSafeInteger(value) && (value as number) >= 0
const hasExactly = (value: object, count: number) => Object.keys(value).length === count

function isClient(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || !hasExactly(value, 2)) return false
  const { ip, userAgent } = value as Record<string, unknown>
  return (ip === null || isText(ip, 64)) && (userAgent === null || isText(userAgent, 512))
}

function isVisit(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || !hasExactly(value, 3)) return false
  const visit = value as Record<string, unknown>
  return isText(visit.audience, 255) && isTime(visit.firstSeenAt) && isTime(visit.lastSeenAt)
}

/**
 * Text form for stores that keep strings (Redis, unstorage). Refuses, with
 * `ERR_ARGUMENT_INVALID`, a record that {@link parseRecord} would not read
 * back (an id over 1024 characters, say), so a store never writes what it
 * then cannot find.
 */
export function serializeRecord(record: SessionRecord): string {
  const problem = recordProblem(record)
  if (problem !== null) {
    throw new ShareError('ERR_ARGUMENT_INVALID', {
      detail: `session record is not storable: ${problem} is invalid`,
    })
  }
  return JSON.stringify(record)
}

/**
 * Parses a stored record, or `null` when the text is not a valid record
 * (corrupted or written by something else): treated as no session, never
 * half-trusted. Extra keys (an own `__proto__` from JSON.parse included)
 * make it invalid. The result is deep-frozen and may be shared.
 *
 * Exported from `@share/core/store`.
 */
export function parseRecord(text: unknown): SessionRecord | null {
  if (typeof text !== 'string') return null
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    return null
  }
  if (recordProblem(raw) !== null) return null
  return deepFreeze(raw as SessionRecord)
}

/** How many parsed records a parser remembers by default. */
export const RECORD_PARSE_CACHE_SIZE = 1024

/** How every serialized record begins: `serializeRecord` writes the id first. */
const ID_PREFIX = '{"id":"'

/**
 * The cache key of a record's text: the id's place in it (a short string: V8
 * hashes a fresh string in full, and two 380-character records cost 8.7k
 * instructions a request to hash), else the whole text. Only a slot: a hit
 * still needs the exact text, so a key that is not really the id costs a
 * parse, never a wrong record.
 */
function cacheKey(text: string): string {
  return text.startsWith(ID_PREFIX)
    ? text.slice(ID_PREFIX.length, ID_PREFIX.length + SESSION_ID_LENGTH)
    : text
}

/**
 * {@link parseRecord} with a memory of the records it parsed: between
 * touches a session's text does not change, so a store's hot read skips
 * JSON.parse and the shape check. Keyed by the record's id, holding its last
 * text: a hit needs the exact same text, so a record written since is parsed
 * again. One per store instance, so two stores in one process share
 * nothing. Bounded; the oldest entry leaves first.
 *
 * Exported from `@share/core/store`.
 */
export function createRecordParser(
  size = RECORD_PARSE_CACHE_SIZE,
): (text: unknown) => SessionRecord | null {
  const parsed = new Map<string, { readonly text: string; readonly record: SessionRecord }>()
  return (text) => {
    if (typeof text !== 'string') return null
    const key = cacheKey(text)
    const cached = parsed.get(key)
    if (cached !== undefined && cached.text === text) return cached.record
    const record = parseRecord(text)
    if (record === null || size === 0) return record
    if (cached === undefined && parsed.size >= size) {
      parsed.delete(parsed.keys().next().value as string)
    }
    parsed.set(key, { text, record })
    return record
  }
}

/** Freezes a plain JSON-like value and everything in it. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const item of Object.values(value)) deepFreeze(item)
  }
  return value
}
