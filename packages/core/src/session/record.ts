import * as v from 'valibot'
import { ShareError } from '../errors.js'

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

const time = v.pipe(v.number(), v.safeInteger(), v.minValue(0))
const text = (max: number) => v.pipe(v.string(), v.maxLength(max))
const json: v.GenericSchema<JsonValue> = v.lazy(() =>
  v.union([
    v.string(),
    v.pipe(v.number(), v.finite()),
    v.boolean(),
    v.null(),
    v.array(json),
    v.record(v.string(), json),
  ]),
)

const RecordSchema = v.strictObject({
  id: text(1024),
  kind: v.picklist(['host', 'linked']),
  userId: text(1024),
  handle: text(64),
  parentId: v.nullable(text(1024)),
  audience: v.nullable(text(255)),
  user: json,
  createdAt: time,
  lastSeenAt: time,
  idleExpiresAt: time,
  absoluteExpiresAt: time,
  rememberMe: v.boolean(),
  client: v.nullable(
    v.strictObject({ ip: v.nullable(text(64)), userAgent: v.nullable(text(512)) }),
  ),
  remotes: v.array(v.strictObject({ audience: text(255), firstSeenAt: time, lastSeenAt: time })),
  version: v.pipe(v.number(), v.safeInteger(), v.minValue(1)),
})

/**
 * Text form for stores that keep strings (Redis, unstorage). Refuses, with
 * `ERR_ARGUMENT_INVALID`, a record that {@link parseRecord} would not read
 * back (an id over 1024 characters, say), so a store never writes what it
 * then cannot find.
 */
export function serializeRecord(record: SessionRecord): string {
  const result = v.safeParse(RecordSchema, record)
  if (!result.success) {
    const path = v.getDotPath(result.issues[0]) ?? 'record'
    throw new ShareError('ERR_ARGUMENT_INVALID', {
      detail: `session record is not storable: ${path} is invalid`,
    })
  }
  return JSON.stringify(record)
}

/**
 * Parses a stored record, or `null` when the text is not a valid record
 * (corrupted or written by something else): treated as no session, never
 * half-trusted. JSON.parse creates own `__proto__` keys, which the strict
 * schema then rejects.
 */
export function parseRecord(text: unknown): SessionRecord | null {
  if (typeof text !== 'string') return null
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    return null
  }
  const result = v.safeParse(RecordSchema, raw)
  return result.success ? (result.output as SessionRecord) : null
}
