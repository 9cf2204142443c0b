import { ShareError } from '../errors.js'
import { call, type EngineContext } from './context.js'
import type { RevokeReason } from './events.js'
import {
  type ClientInfo,
  expiresAt,
  isAlive,
  type RemoteVisit,
  type SessionRecord,
} from './record.js'
import { hostIdOf } from './records.js'
import type { SweepProgress, SweepResult } from './store.js'

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

/** Listing and revocation: what a sessions page, an admin and the CLI do. */
export interface SessionManagement {
  /** The user's device sessions, most recently seen first. */
  list(userId: string, current?: SessionRecord): Promise<SessionSummary[]>
  /** Ends the user's session with this handle; false when the user has none such. */
  revoke(userId: string, handle: string): Promise<boolean>
  /** Ends every session of the user except the one `current` belongs to. */
  revokeOthers(current: SessionRecord): Promise<number>
  /**
   * Ends every session of the user but the one with handle `keep`, in one
   * store call (an operator's "sign out the others"); `null`, with nothing
   * revoked, when the user has no live session with that handle.
   */
  revokeAllExcept(userId: string, keep: string): Promise<number | null>
  /** Logout everywhere: ends every session of the user, on every device. */
  revokeAll(userId: string): Promise<number>
  /** Ends this session; `everywhere` ends its host session and so every linked one. */
  logout(session: SessionRecord, options?: { everywhere?: boolean }): Promise<number>
  /**
   * Removes expired records from stores without native TTL; zeros on stores
   * with it. `onProgress` hears how far a listing store (unstorage) got.
   */
  sweep(options?: { onProgress?: SweepProgress }): Promise<SweepResult>
  /** Past `maxSessionsPerUser`, revokes the user's oldest sessions but `keepId`. */
  enforceLimit(userId: string, keepId: string): Promise<void>
}

export function createManagement(ctx: EngineContext): SessionManagement {
  const { config, emit } = ctx
  const { store } = config

  function revoked(userId: string, reason: RevokeReason, ids: string[]): number {
    if (ids.length > 0)
      emit({ type: 'session.revoked', at: config.now(), userId, reason, count: ids.length })
    return ids.length
  }

  return {
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

    async revokeAllExcept(userId, keep) {
      assertUserId(userId)
      if (typeof keep !== 'string' || keep.length === 0) return null
      const records = await call(() => store.listUser(userId))
      const now = config.now()
      const kept = records.find(
        (record) => record.userId === userId && record.handle === keep && isAlive(record, now),
      )
      if (!kept) return null
      return revoked(userId, 'revoke-others', await call(() => store.deleteUser(userId, kept.id)))
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

    async sweep(options) {
      const now = config.now()
      const onProgress = options?.onProgress
      const result = await call(() =>
        onProgress === undefined ? store.sweep(now) : store.sweep(now, onProgress),
      )
      const { scanned, removed, kept } = result
      emit({ type: 'store.swept', at: now, scanned, removed, kept })
      return { scanned, removed, kept }
    },

    async enforceLimit(userId, keepId) {
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
    },
  }
}

export function assertUserId(userId: unknown): asserts userId is string {
  if (typeof userId !== 'string' || userId.length === 0 || userId.length > 512) {
    throw new ShareError('ERR_ARGUMENT_INVALID', {
      detail: 'userId must be a string of 1 to 512 characters',
    })
  }
}
