import type { EngineConfig } from '../config/read.js'
import type { RandomSource } from '../encoding/bytes.js'
import { createHandle, createSessionId } from './ids.js'
import type { ClientInfo, JsonValue, RemoteVisit, SessionRecord } from './record.js'

/** Longest list of remotes kept per host session. */
const MAX_REMOTES = 50

/** What decides a new record: a sign-in (host) or a hand-off under a parent (linked). */
export type RecordSpec =
  | {
      readonly kind: 'host'
      readonly userId: string
      readonly user: JsonValue | null
      readonly client: ClientInfo | null
      readonly rememberMe: boolean
    }
  | { readonly kind: 'linked'; readonly parent: SessionRecord; readonly audience: string }

/**
 * A new record, version 1. A host record's expiries come from the config
 * (remember-me sessions do not idle out); a linked record lives exactly as
 * long as its parent and carries no user data of its own (it is read from
 * the parent on every request).
 */
export function newRecord(
  spec: RecordSpec,
  config: EngineConfig,
  random: RandomSource,
  now: number,
): SessionRecord {
  const linked = spec.kind === 'linked' ? spec.parent : null
  const userId = linked ? linked.userId : (spec as { userId: string }).userId
  const rememberMe = linked ? linked.rememberMe : (spec as { rememberMe: boolean }).rememberMe
  const absoluteExpiresAt = linked
    ? linked.absoluteExpiresAt
    : now + (rememberMe ? config.rememberMeMs : config.absoluteMs)
  return {
    // Linked records share their parent's user tag: one user's records stay on one shard.
    id: createSessionId(userId, random),
    kind: spec.kind,
    userId,
    handle: createHandle(random),
    parentId: linked ? linked.id : null,
    audience: spec.kind === 'linked' ? spec.audience : null,
    user: spec.kind === 'host' ? spec.user : null,
    createdAt: now,
    lastSeenAt: now,
    idleExpiresAt:
      linked || rememberMe ? absoluteExpiresAt : Math.min(now + config.idleMs, absoluteExpiresAt),
    absoluteExpiresAt,
    rememberMe,
    client: spec.kind === 'host' ? spec.client : null,
    remotes: [],
    version: 1,
  }
}

/** The host record after activity at `audience` (null at the host itself): idle expiry slid, visit noted. */
export function touchedRecord(
  host: SessionRecord,
  audience: string | null,
  config: EngineConfig,
  now: number,
): SessionRecord {
  return {
    ...host,
    lastSeenAt: now,
    idleExpiresAt: host.rememberMe
      ? host.absoluteExpiresAt
      : Math.min(now + config.idleMs, host.absoluteExpiresAt),
    remotes: audience === null ? host.remotes : visit(host.remotes, audience, now),
    version: host.version + 1,
  }
}

/** The remotes list with `audience` seen now; bounded, most recent kept. */
export function visit(
  remotes: readonly RemoteVisit[],
  audience: string,
  now: number,
): RemoteVisit[] {
  const existing = remotes.find((remote) => remote.audience === audience)
  const others = remotes.filter((remote) => remote.audience !== audience)
  const updated = { audience, firstSeenAt: existing?.firstSeenAt ?? now, lastSeenAt: now }
  return [...others, updated].slice(-MAX_REMOTES)
}

/** The host session a record belongs to: itself, or a linked record's parent. */
export function hostIdOf(session: SessionRecord): string {
  return session.kind === 'host' ? session.id : (session.parentId ?? session.id)
}
