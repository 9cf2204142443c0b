import { randomBytes } from '../encoding/bytes.js'
import { isShareError, ShareError, storeUnavailable } from '../errors.js'
import { clientRecord, userData } from './client.js'
import { readCookieValue, signCookieValue, VerifiedCookieCache } from './cookie.js'
import type { DenyReason, RevokeReason, SessionEvent } from './events.js'
import { createHandle, createSessionId } from './ids.js'
import { type EngineConfig, readEngineOptions, type SessionEngineOptions } from './options.js'
import {
  type ClientInfo,
  expiresAt,
  isAlive,
  type JsonValue,
  type RemoteVisit,
  type SessionRecord,
} from './record.js'
import type { SessionStore, SessionWithParent } from './store.js'

export interface CreateSessionInput {
  /** The app's id for the user: 1 to 512 characters. */
  userId: string
  /** What the host shares with its remotes about the user, as JSON (at most 8 KiB). */
  user?: JsonValue | undefined
  /** The client that signed in; kept according to the engine's `clientInfo`. */
  client?: { ip?: string | null | undefined; userAgent?: string | null | undefined } | undefined
  /** Keep the user signed in for `rememberMeLifetimeSec`, without idling out. */
  rememberMe?: boolean | undefined
}

/** A new session and the cookie value that names it. */
export interface IssuedSession {
  readonly session: SessionRecord
  /** `<id>.<MAC>`: set it as the session cookie's value. */
  readonly cookie: string
}

export type ResolveResult =
  | {
      readonly ok: true
      /** The session the cookie names (a linked one at a remote). */
      readonly session: SessionRecord
      /** The host session behind it (the same record at the host). */
      readonly host: SessionRecord
      readonly userId: string
      readonly user: JsonValue | null
    }
  | { readonly ok: false; readonly reason: DenyReason | 'no-cookie' }

/** A user's device session as listed to them: no secret id, only the handle. */
export interface SessionSummary {
  readonly handle: string
  /** True for the session making the request. */
  readonly current: boolean
  readonly createdAt: number
  readonly lastSeenAt: number
  readonly expiresAt: number
  readonly rememberMe: boolean
  readonly client: ClientInfo | null
  readonly remotes: readonly RemoteVisit[]
}

export interface SessionEngine {
  readonly store: SessionStore
  /** Signs a user in on a device: a host session. */
  create(input: CreateSessionInput): Promise<IssuedSession>
  /**
   * The live session a cookie value names, in one store round trip (plus a
   * write at most once per touch interval). Without `audience` it expects a
   * host session; with it, a linked session for that remote origin.
   */
  resolve(
    cookieValue: string | null | undefined,
    options?: { audience?: string },
  ): Promise<ResolveResult>
  /** Slides the idle expiry if the touch interval has passed; returns the current host record. */
  touch(session: SessionRecord, host: SessionRecord): Promise<SessionRecord>
  /** A remote's own session under a live host session; `ERR_SESSION_NOT_FOUND` when it has ended. */
  link(input: { hostSessionId: string; audience: string }): Promise<IssuedSession>
  /** The user's device sessions, most recently seen first. */
  list(userId: string, current?: SessionRecord): Promise<SessionSummary[]>
  /** Ends the user's session with this handle; false when the user has none such. */
  revoke(userId: string, handle: string): Promise<boolean>
  /** Ends every session of the user except the one `current` belongs to. */
  revokeOthers(current: SessionRecord): Promise<number>
  /** Logout everywhere: ends every session of the user. */
  revokeAll(userId: string): Promise<number>
  /** Ends this session; `everywhere` ends its host session and so every linked one. */
  logout(session: SessionRecord, options?: { everywhere?: boolean }): Promise<number>
  /** Replay guard: true the first time a token id is seen, false after. */
  consumeTokenId(tokenId: string, ttlSec: number): Promise<boolean>
  /** Removes expired records from stores without native TTL. */
  sweep(): Promise<number>
}

/** Longest list of remotes kept per host session. */
const MAX_REMOTES = 50
/** Compare-and-set attempts before an update gives up under contention. */
const UPDATE_ATTEMPTS = 16

/**
 * The session engine: device sessions, linked remote sessions, timeouts,
 * listing and revocation, over any {@link SessionStore}.
 *
 * Exported from `@share/core`.
 *
 * @example
 * ```ts
 * import { createKeyring, createMemoryStore, createSessionEngine } from '@share/core'
 * const engine = createSessionEngine({ keyring: await createKeyring(key), store: createMemoryStore() })
 * const { cookie } = await engine.create({ userId: 'alice', user: { name: 'Alice' } })
 * const result = await engine.resolve(cookie) // { ok: true, userId: 'alice', ... }
 * ```
 */
export function createSessionEngine(options: SessionEngineOptions): SessionEngine {
  const config = readEngineOptions(options)
  const { keyring, store } = config
  const cache = new VerifiedCookieCache(config.verifiedCookieCacheSize)
  const emit = eventEmitter(config)

  async function issue(session: SessionRecord): Promise<IssuedSession> {
    return { session, cookie: await signCookieValue(keyring, session.id) }
  }

  async function insert(build: () => SessionRecord): Promise<SessionRecord> {
    // A repeated 256-bit id is not a real event, but a store may say so.
    for (let attempt = 0; attempt < 3; attempt++) {
      const record = build()
      const result = await call(() => store.create(record))
      if (result === 'created') return record
      if (result === 'parent-missing') throw new ShareError('ERR_SESSION_NOT_FOUND')
    }
    throw new ShareError('ERR_STORE_UNAVAILABLE', {
      detail: 'could not create a unique session id',
    })
  }

  /** Read-modify-write with compare-and-set, retried so concurrent updates never lose each other. */
  async function update(
    first: SessionRecord,
    change: (current: SessionRecord) => SessionRecord,
  ): Promise<SessionRecord | null> {
    let current: SessionRecord | null = first
    for (let attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
      if (current === null || !isAlive(current, config.now())) return null
      const next = { ...change(current), version: current.version + 1 }
      if (await call(() => store.compareAndSet(next, current!.version))) return next
      // Someone else won this round: back off a little, at random, and re-read.
      await new Promise((resolve) => setTimeout(resolve, (randomBytes(1)[0]! / 128) * attempt))
      current = await call(() => store.get(first.id))
    }
    throw new ShareError('ERR_STORE_UNAVAILABLE', { detail: 'session update kept conflicting' })
  }

  function revoked(userId: string, reason: RevokeReason, ids: string[]): number {
    if (ids.length > 0)
      emit({ type: 'session.revoked', at: config.now(), userId, reason, count: ids.length })
    return ids.length
  }

  async function enforceLimit(userId: string, keepId: string): Promise<void> {
    const max = config.maxSessionsPerUser
    if (max === null) return
    const sessions = await call(() => store.listUser(userId))
    const excess = sessions.length - max
    if (excess <= 0) return
    const oldest = sessions
      .filter((record) => record.id !== keepId)
      .sort((a, b) => a.createdAt - b.createdAt)
      .slice(0, excess)
    const ids: string[] = []
    for (const record of oldest) ids.push(...(await call(() => store.delete(record.id))))
    revoked(userId, 'session-limit', ids)
  }

  /** A refused session: audited, then answered with its reason. */
  function deny(reason: DenyReason, record?: SessionRecord): ResolveResult {
    emit({
      type: 'session.denied',
      at: config.now(),
      reason,
      ...(record ? { userId: record.userId, handle: record.handle } : {}),
    })
    return { ok: false, reason }
  }

  const engine: SessionEngine = {
    store,

    async create(input) {
      const { userId, rememberMe = false } = input ?? ({} as CreateSessionInput)
      assertUserId(userId)
      const user = userData(input.user)
      const client = clientRecord(input.client, config.clientInfo)
      const now = config.now()
      const lifetime = rememberMe ? config.rememberMeMs : config.absoluteMs
      const session = await insert(() => ({
        id: createSessionId(userId),
        kind: 'host',
        userId,
        handle: createHandle(),
        parentId: null,
        audience: null,
        user,
        createdAt: now,
        lastSeenAt: now,
        idleExpiresAt: rememberMe ? now + lifetime : Math.min(now + config.idleMs, now + lifetime),
        absoluteExpiresAt: now + lifetime,
        rememberMe: rememberMe === true,
        client,
        remotes: [],
        version: 1,
      }))
      emit({ type: 'session.created', at: now, userId, handle: session.handle, kind: 'host' })
      await enforceLimit(userId, session.id)
      return issue(session)
    },

    async resolve(cookieValue, options = {}) {
      if (cookieValue === undefined || cookieValue === null || cookieValue === '') {
        return { ok: false, reason: 'no-cookie' }
      }
      // Hot path: a cookie seen before skips the MAC check without an await.
      const id = cache.get(cookieValue) ?? (await readCookieValue(keyring, cookieValue, cache))
      if (id === null) return deny('bad-cookie')
      let found: SessionWithParent | null
      try {
        found = await store.getWithParent(id)
      } catch (error) {
        throw storeUnavailable(error)
      }
      if (found === null) return deny('not-found')
      const { session, parent } = found
      const expected = options.audience
      const wrongApp =
        expected === undefined
          ? session.kind !== 'host'
          : session.kind !== 'linked' || session.audience !== expected
      if (wrongApp) return deny('wrong-app', session)
      const host = session.kind === 'host' ? session : parent
      if (host === null || (session.kind === 'linked' && host.id !== session.parentId)) {
        return deny('parent-gone', session)
      }
      const now = config.now()
      if (!isAlive(session, now) || !isAlive(host, now)) return deny('expired', session)
      // Between touch intervals nothing is written: no call, no await.
      const current =
        now - host.lastSeenAt < config.touchIntervalMs ? host : await engine.touch(session, host)
      return { ok: true, session, host: current, userId: host.userId, user: host.user }
    },

    async touch(session, host) {
      const now = config.now()
      if (now - host.lastSeenAt < config.touchIntervalMs) return host
      const next: SessionRecord = {
        ...host,
        lastSeenAt: now,
        idleExpiresAt: host.rememberMe
          ? host.absoluteExpiresAt
          : Math.min(now + config.idleMs, host.absoluteExpiresAt),
        remotes:
          session.audience === null ? host.remotes : visit(host.remotes, session.audience, now),
        version: host.version + 1,
      }
      // A failed compare-and-set means someone else updated or revoked it: never overwrite.
      if (!(await call(() => store.compareAndSet(next, host.version)))) return host
      emit({ type: 'session.touched', at: now, userId: host.userId, handle: host.handle })
      return next
    },

    async link({ hostSessionId, audience }) {
      const parent =
        typeof hostSessionId === 'string' ? await call(() => store.get(hostSessionId)) : null
      const now = config.now()
      if (parent === null || parent.kind !== 'host' || !isAlive(parent, now)) {
        throw new ShareError('ERR_SESSION_NOT_FOUND')
      }
      if (typeof audience !== 'string' || audience.length === 0 || audience.length > 255) {
        throw new ShareError('ERR_ARGUMENT_INVALID', {
          detail: 'link needs the remote origin as audience',
        })
      }
      const session = await insert(() => ({
        // Same user tag as the parent: one user's records stay on one shard.
        id: createSessionId(parent.userId),
        kind: 'linked',
        userId: parent.userId,
        handle: createHandle(),
        parentId: parent.id,
        audience,
        user: null,
        createdAt: now,
        lastSeenAt: now,
        idleExpiresAt: parent.absoluteExpiresAt,
        absoluteExpiresAt: parent.absoluteExpiresAt,
        rememberMe: parent.rememberMe,
        client: null,
        remotes: [],
        version: 1,
      }))
      emit({
        type: 'session.created',
        at: now,
        userId: parent.userId,
        handle: session.handle,
        kind: 'linked',
        audience,
      })
      // Bookkeeping only: under heavy contention the next touch from this remote records it.
      await update(parent, (current) => ({
        ...current,
        remotes: visit(current.remotes, audience, now),
      })).catch((error: unknown) => {
        if (!isShareError(error) || error.code !== 'ERR_STORE_UNAVAILABLE') throw error
      })
      return issue(session)
    },

    async list(userId, current) {
      assertUserId(userId)
      const now = config.now()
      const currentHostId = current ? hostIdOf(current) : null
      const records = await call(() => store.listUser(userId))
      return records
        .filter((record) => record.userId === userId && isAlive(record, now))
        .sort((a, b) => b.lastSeenAt - a.lastSeenAt)
        .map((record) => ({
          handle: record.handle,
          current: record.id === currentHostId,
          createdAt: record.createdAt,
          lastSeenAt: record.lastSeenAt,
          expiresAt: expiresAt(record),
          rememberMe: record.rememberMe,
          client: record.client,
          remotes: record.remotes,
        }))
    },

    async revoke(userId, handle) {
      assertUserId(userId)
      if (typeof handle !== 'string' || handle.length === 0) return false
      // Only the user's own index is searched: another user's handle finds nothing.
      const records = await call(() => store.listUser(userId))
      const target = records.find((record) => record.userId === userId && record.handle === handle)
      if (!target) return false
      return revoked(userId, 'revoke', await call(() => store.delete(target.id))) > 0
    },

    async revokeOthers(current) {
      const ids = await call(() => store.deleteUser(current.userId, hostIdOf(current)))
      return revoked(current.userId, 'revoke-others', ids)
    },

    async revokeAll(userId) {
      assertUserId(userId)
      return revoked(userId, 'revoke-all', await call(() => store.deleteUser(userId)))
    },

    async logout(session, { everywhere = false } = {}) {
      const id = everywhere ? hostIdOf(session) : session.id
      const ids = await call(() => store.delete(id))
      return revoked(session.userId, everywhere ? 'logout-everywhere' : 'logout', ids)
    },

    async consumeTokenId(tokenId, ttlSec) {
      if (typeof tokenId !== 'string' || tokenId.length === 0 || tokenId.length > 64) {
        throw new ShareError('ERR_ARGUMENT_INVALID', {
          detail: 'tokenId must be 1 to 64 characters',
        })
      }
      if (!Number.isInteger(ttlSec) || ttlSec < 1 || ttlSec > 3600) {
        throw new ShareError('ERR_ARGUMENT_INVALID', { detail: 'ttlSec must be 1 to 3600 seconds' })
      }
      const first = await call(() => store.setIfAbsent(`token:${tokenId}`, ttlSec))
      if (!first) emit({ type: 'token.replayed', at: config.now() })
      return first
    },

    async sweep() {
      const now = config.now()
      const removed = await call(() => store.sweep(now))
      emit({ type: 'store.swept', at: now, removed })
      return removed
    },
  }
  return engine
}

function hostIdOf(session: SessionRecord): string {
  return session.kind === 'host' ? session.id : (session.parentId ?? session.id)
}

/** The remotes list with `audience` seen now; bounded, most recent kept. */
function visit(remotes: readonly RemoteVisit[], audience: string, now: number): RemoteVisit[] {
  const existing = remotes.find((remote) => remote.audience === audience)
  const others = remotes.filter((remote) => remote.audience !== audience)
  const updated = { audience, firstSeenAt: existing?.firstSeenAt ?? now, lastSeenAt: now }
  return [...others, updated].slice(-MAX_REMOTES)
}

function assertUserId(userId: unknown): asserts userId is string {
  if (typeof userId !== 'string' || userId.length === 0 || userId.length > 512) {
    throw new ShareError('ERR_ARGUMENT_INVALID', {
      detail: 'userId must be a string of 1 to 512 characters',
    })
  }
}

/** Runs a store call; anything but a ShareError becomes ERR_STORE_UNAVAILABLE (503, fail closed). */
async function call<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation()
  } catch (error) {
    throw storeUnavailable(error)
  }
}

function eventEmitter(config: EngineConfig): (event: SessionEvent) => void {
  const hook = config.onEvent
  if (!hook) return () => {}
  return (event) => {
    try {
      hook(event)
    } catch {
      // An audit hook must never break sign-in.
    }
  }
}
