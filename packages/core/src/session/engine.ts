import * as v from 'valibot'
import type { CommonOptions } from '../config/options.js'
import { type EngineConfig, readEngineConfig } from '../config/read.js'
import type { ShareUser } from '../config/register.js'
import { isShareError, ShareError } from '../errors.js'
import { createKeySource } from '../keys/key-source.js'
import type { InspectTokenOptions } from '../token/inspect.js'
import { clientRecord, userData } from './client.js'
import { call, createEngineContext, type EngineContext } from './context.js'
import { signCookieValue } from './cookie.js'
import { assertUserId, createManagement, type SessionManagement } from './manage.js'
import { isAlive, type SessionRecord } from './record.js'
import { newRecord, type RecordSpec, visit } from './records.js'
import { createResolver, type Resolve, type ResolveResult } from './resolve.js'
import { reportToken, type TokenReport } from './token-report.js'

export type { SessionSummary } from './manage.js'
export type { ResolveResult } from './resolve.js'
export type { TokenReport } from './token-report.js'

export interface CreateSessionInput {
  /** The app's id for the user: 1 to 512 characters. */
  userId: string
  /** What the host shares with its remotes about the user, as JSON (at most 8 KiB). */
  user?: ShareUser | undefined
  /** The client that signed in; kept according to `session.clientInfo`. */
  client?: { ip?: string | null | undefined; userAgent?: string | null | undefined } | undefined
  /** Keep the user signed in for `session.rememberMeLifetimeSec`, without idling out. */
  rememberMe?: boolean | undefined
}

/** A new session and the cookie value that names it. */
export interface IssuedSession {
  readonly session: SessionRecord
  /** `<id>.<MAC>`: set it as the session cookie's value. */
  readonly cookie: string
}

/** Options of {@link createSessionEngine}: the same names and groups as the handlers'. */
export type SessionEngineOptions = Pick<
  CommonOptions,
  'syncKey' | 'store' | 'session' | 'now' | 'onEvent'
>

export interface SessionEngine extends Omit<SessionManagement, 'enforceLimit'> {
  readonly store: EngineConfig['store']
  /** Derives the keys now (they are otherwise derived on first use); resolves when ready. */
  ready(): Promise<void>
  /** Signs a user in on a device: a host session. */
  create(input: CreateSessionInput): Promise<IssuedSession>
  /**
   * The live session a cookie value names, in one store round trip. Without
   * `audience` it expects a host session; with it, a linked session for that
   * remote origin. A touch write, when due, is returned as `pending`.
   */
  resolve(
    cookieValue: string | null | undefined,
    options?: { audience?: string },
  ): Promise<ResolveResult>
  /** A remote's own session under a live host session; `ERR_SESSION_NOT_FOUND` when it has ended. */
  link(input: { hostSessionId: string; audience: string }): Promise<IssuedSession>
  /**
   * Replaces the shared user data on every live session of the user; every
   * remote sees it on its next request (they read it from the host session).
   * Returns how many sessions were updated.
   */
  updateUser(userId: string, user: ShareUser): Promise<number>
  /**
   * For a failed hand-off: what `inspectToken` (from `@share/core/token`)
   * finds with this engine's keys, and whether the token was already
   * redeemed and its host session is alive, read without changing either.
   */
  inspectToken(token: string, options?: InspectTokenOptions): Promise<TokenReport>
}

/** The engine and, for the handlers in core, its context (events, randomness, config). */
export interface EngineParts {
  readonly engine: SessionEngine
  readonly ctx: EngineContext
  /** `engine.resolve` without its promise when the answer is at hand: the handlers' hot path. */
  readonly resolve: Resolve
}

/** Compare-and-set attempts before an update gives up under contention. */
const UPDATE_ATTEMPTS = 16

/**
 * The session engine on its own, for operators' tools and tests: device
 * sessions, linked remote sessions, timeouts, listing and revocation, over
 * any store. Apps use `createShareHost` / `createShareRemote`, which build
 * one from the same options.
 *
 * Exported from `@share/core`.
 *
 * @example
 * ```ts
 * import { createMemoryStore, createSessionEngine, generateSyncKey } from '@share/core'
 * const engine = createSessionEngine({ syncKey: generateSyncKey(), store: createMemoryStore() })
 * const { cookie } = await engine.create({ userId: 'alice', user: { name: 'Alice' } })
 * const result = await engine.resolve(cookie) // { ok: true, userId: 'alice', ... }
 * ```
 */
export function createSessionEngine(options: SessionEngineOptions): SessionEngine {
  const result = v.safeParse(EngineOptionsSchema, options)
  if (!result.success) {
    const problems = result.issues.map((issue) => `${v.getDotPath(issue) ?? ''} ${issue.message}`)
    throw new ShareError('ERR_CONFIG_INVALID', {
      detail: `createSessionEngine: ${problems.join('; ')}`,
    })
  }
  const config = readEngineConfig(options.session, {
    keys: createKeySource(options.syncKey),
    store: options.store,
    now: options.now,
    onEvent: options.onEvent,
  })
  return buildEngine(config).engine
}

const EngineOptionsSchema = v.strictObject({
  syncKey: v.unknown(),
  store: v.custom(
    (value) =>
      typeof value === 'object' &&
      value !== null &&
      typeof (value as { getWithParent?: unknown }).getWithParent === 'function',
    'must implement SessionStore (e.g. createMemoryStore())',
  ),
  session: v.optional(v.unknown()),
  now: v.optional(v.function()),
  onEvent: v.optional(v.function()),
})

/** @internal The engine over an already validated config. */
export function buildEngine(config: EngineConfig): EngineParts {
  const ctx = createEngineContext(config)
  const { store, keys } = config
  const { emit, random } = ctx
  const { enforceLimit, ...management } = createManagement(ctx)
  const resolve = createResolver(ctx)

  async function issue(session: SessionRecord): Promise<IssuedSession> {
    return { session, cookie: await signCookieValue(await keys.load(), session.id) }
  }

  async function insert(spec: RecordSpec, now: number): Promise<SessionRecord> {
    // A repeated 256-bit id is not a real event, but a store may say so.
    for (let attempt = 0; attempt < 3; attempt++) {
      const record = newRecord(spec, config, random, now)
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
      await new Promise((done) => setTimeout(done, (random(1)[0]! / 128) * attempt))
      current = await call(() => store.get(first.id))
    }
    throw new ShareError('ERR_STORE_UNAVAILABLE', { detail: 'session update kept conflicting' })
  }

  const engine: SessionEngine = {
    store,
    ...management,
    ready: () => keys.load().then(() => undefined),
    resolve: async (cookieValue, options) => resolve(cookieValue, options?.audience),
    inspectToken: (token, options) => reportToken(ctx, token, options),

    async create(input) {
      const { userId, rememberMe = false } = input ?? ({} as CreateSessionInput)
      assertUserId(userId)
      const spec: RecordSpec = {
        kind: 'host',
        userId,
        user: userData(input.user),
        client: clientRecord(input.client, config.clientInfo),
        rememberMe: rememberMe === true,
      }
      const now = config.now()
      const session = await insert(spec, now)
      emit({ type: 'session.created', at: now, userId, handle: session.handle, kind: 'host' })
      await enforceLimit(userId, session.id)
      return issue(session)
    },

    async updateUser(userId, user) {
      assertUserId(userId)
      const data = userData(user)
      const records = await call(() => store.listUser(userId))
      let count = 0
      for (const record of records) {
        // Compare-and-set per session: a concurrent touch or revoke is never overwritten.
        if (await update(record, (current) => ({ ...current, user: data }))) count++
      }
      emit({ type: 'user.updated', at: config.now(), userId, count })
      return count
    },

    async link({ hostSessionId, audience }) {
      if (typeof audience !== 'string' || audience.length === 0 || audience.length > 255) {
        throw new ShareError('ERR_ARGUMENT_INVALID', {
          detail: 'link needs the remote origin as audience',
        })
      }
      const parent =
        typeof hostSessionId === 'string' ? await call(() => store.get(hostSessionId)) : null
      const now = config.now()
      if (parent === null || parent.kind !== 'host' || !isAlive(parent, now)) {
        throw new ShareError('ERR_SESSION_NOT_FOUND')
      }
      const session = await insert({ kind: 'linked', parent, audience }, now)
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
  }
  return { engine, ctx, resolve }
}
