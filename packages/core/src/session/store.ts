import type { SessionRecord } from './record.js'

/**
 * The contract every session store implements. Methods that touch several
 * records (create with its index entries, delete with children) are single
 * operations here so that an atomic store can make them atomic (one Lua
 * script, one lock-free step in memory) instead of the engine composing
 * them from reads and writes that could interleave.
 *
 * Invariants the engine keeps and stores may rely on:
 * - a record's `id` starts with `userTag(record.userId)`, and a linked
 *   record has its parent's user, so one user's records can share a shard;
 * - `expiresAt(record)` (the earlier of the two expiries) is when a record
 *   may vanish: stores with native TTL expire it then, others on `sweep`.
 * - a session id is created once (the engine mints 256 random bits; an id
 *   once deleted never comes back) and every update bumps `version`, so an
 *   id and a version name one content: a store may keep a copy by them (the
 *   Redis store's conditional read does).
 * Stores return what they hold; the engine itself checks expiry on read.
 */
export interface SessionStore {
  /** For messages and events, e.g. `memory` or `redis`. */
  readonly name: string
  readonly capabilities: StoreCapabilities

  get(id: string): Promise<SessionRecord | null>
  /**
   * A record and, for a linked one, its parent: one round trip. The read of
   * every request, so a store in this process (the memory store) may answer
   * at once, without a promise; callers `await` it either way.
   */
  getWithParent(id: string): Promise<SessionWithParent | null> | SessionWithParent | null

  /**
   * Stores a new record (version 1) and indexes it: a host record under its
   * user, a linked record under its parent. Refuses, without writing, an id
   * that exists or a linked record whose parent is missing.
   */
  create(record: SessionRecord): Promise<CreateResult>
  /** Replaces the record iff the stored one has `expectedVersion`; never creates. */
  compareAndSet(record: SessionRecord, expectedVersion: number): Promise<boolean>
  /** Deletes a record, its linked children and its index entries; returns the deleted ids. */
  delete(id: string): Promise<string[]>

  /** The user's host records (devices), pruning index entries of records that are gone. */
  listUser(userId: string): Promise<SessionRecord[]>
  /** Deletes every host record of the user but `exceptId` (with children); returns deleted ids. */
  deleteUser(userId: string, exceptId?: string): Promise<string[]>

  /** Sets `key` for `ttlSec` seconds unless present: true for the first caller only. */
  setIfAbsent(key: string, ttlSec: number): Promise<boolean>
  /**
   * True while a key set by `setIfAbsent` is present (within its TTL), without
   * setting it: a read for tools (was this token already redeemed?), never a
   * replay guard, since a later `setIfAbsent` may still win or lose.
   */
  hasKey(key: string): Promise<boolean>
  /**
   * Removes records and nonces past their expiry at `now` (epoch ms), and
   * says what it looked at. Stores with native TTL (Redis, Upstash) look at
   * nothing and answer `{ scanned: 0, removed: 0, kept: 0 }`: the backend
   * expires records by itself, so there is nothing to count (the memory
   * store, which has both, counts what it purged). A store whose sweep
   * lists keys (unstorage) calls `onProgress` as it goes; others may never.
   */
  sweep(now: number, onProgress?: SweepProgress): Promise<SweepResult>
  /** Releases connections or timers; the store is unusable after. */
  dispose?(): Promise<void>
}

export interface StoreCapabilities {
  /**
   * Every method is atomic against concurrent callers in every process
   * (memory: one process; Redis: Lua). `false` for stores built from plain
   * get/set (unstorage), where `setIfAbsent` can let two callers both win.
   */
  readonly atomic: boolean
  /** Expired records vanish by themselves; `sweep` is then a no-op. */
  readonly nativeTtl: boolean
}

export interface SessionWithParent {
  readonly session: SessionRecord
  /** `null` for a host record, or when a linked record's parent is gone. */
  readonly parent: SessionRecord | null
}

/** Called during a sweep with the records looked at so far and how many there are to look at. */
export type SweepProgress = (scanned: number, total: number) => void

/** What one `sweep` did, counting session records (host and linked); nonces are not counted. */
export interface SweepResult {
  /** Records looked at. */
  readonly scanned: number
  /** Records removed: expired ones, and the linked records that went with their parent. */
  readonly removed: number
  /** Records looked at and left in place (alive, or written again meanwhile). */
  readonly kept: number
}

export type CreateResult = 'created' | 'exists' | 'parent-missing'
