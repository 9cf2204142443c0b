/**
 * @share/workers/durable-object: a Share session store in one SQLite-backed
 * Durable Object. Strongly consistent and atomic: every method is one
 * synchronous run of SQL inside the object, which handles one call at a time,
 * so the replay guard and revocation hold everywhere at once.
 *
 * @module
 */

import { DurableObject } from 'cloudflare:workers'
import {
  type CreateResult,
  createRecordParser,
  expiresAt,
  type SessionRecord,
  type SessionStore,
  type SessionWithParent,
  type SweepResult,
  serializeRecord,
  storeUnavailable,
} from '@share/core/store'

type Row = Record<string, string | number | null>

/** What the object answers: records as serialized text, read back by the store. */
interface Stored {
  record: string
  parent: string | null
}

/**
 * The Durable Object class. Export it from your Worker's main module and bind
 * it with a SQLite migration (`new_sqlite_classes`), then give the binding to
 * {@link durableObjectStore}.
 */
export class ShareSessions extends DurableObject {
  private readonly sql: SqlLike

  constructor(ctx: DurableObjectStateLike, env: unknown) {
    super(ctx as never, env as never)
    this.sql = ctx.storage.sql
    this.sql.exec(`CREATE TABLE IF NOT EXISTS sessions (
      id TEXT PRIMARY KEY, user_id TEXT NOT NULL, parent_id TEXT,
      expires_at INTEGER NOT NULL, record TEXT NOT NULL)`)
    this.sql.exec('CREATE INDEX IF NOT EXISTS sessions_user ON sessions (user_id, parent_id)')
    this.sql.exec('CREATE INDEX IF NOT EXISTS sessions_parent ON sessions (parent_id)')
    this.sql.exec('CREATE INDEX IF NOT EXISTS sessions_expiry ON sessions (expires_at)')
    this.sql.exec(
      'CREATE TABLE IF NOT EXISTS nonces (key TEXT PRIMARY KEY, expires_at INTEGER NOT NULL)',
    )
  }

  private rows(query: string, ...values: (string | number | null)[]): Row[] {
    return this.sql.exec(query, ...values).toArray()
  }

  /** The record's text if it is live; an expired one is removed on sight. */
  private live(id: string, now: number): string | null {
    const [row] = this.rows('SELECT expires_at, record FROM sessions WHERE id = ?', id)
    if (row === undefined) return null
    if (now < Number(row.expires_at)) return String(row.record)
    this.remove(id)
    return null
  }

  /** Removes a record with its linked children; the ids removed. */
  private remove(id: string): string[] {
    const [row] = this.rows('SELECT id FROM sessions WHERE id = ?', id)
    if (row === undefined) return []
    const removed = [id]
    for (const child of this.rows('SELECT id FROM sessions WHERE parent_id = ?', id)) {
      removed.push(...this.remove(String(child.id)))
    }
    this.sql.exec('DELETE FROM sessions WHERE id = ?', id)
    return removed
  }

  get(id: string, now: number): string | null {
    return this.live(id, now)
  }

  getWithParent(id: string, now: number): Stored | null {
    const record = this.live(id, now)
    if (record === null) return null
    const [row] = this.rows('SELECT parent_id FROM sessions WHERE id = ?', id)
    const parentId = row?.parent_id
    return { record, parent: typeof parentId === 'string' ? this.live(parentId, now) : null }
  }

  create(
    id: string,
    userId: string,
    parentId: string | null,
    expiry: number,
    record: string,
    now: number,
  ): CreateResult {
    if (this.live(id, now) !== null) return 'exists'
    if (parentId !== null && this.live(parentId, now) === null) return 'parent-missing'
    this.sql.exec(
      'INSERT INTO sessions (id, user_id, parent_id, expires_at, record) VALUES (?, ?, ?, ?, ?)',
      id,
      userId,
      parentId,
      expiry,
      record,
    )
    return 'created'
  }

  compareAndSet(id: string, expectedVersion: number, expiry: number, record: string, now: number) {
    const current = this.live(id, now)
    if (current === null || JSON.parse(current).version !== expectedVersion) return false
    this.sql.exec('UPDATE sessions SET expires_at = ?, record = ? WHERE id = ?', expiry, record, id)
    return true
  }

  delete(id: string): string[] {
    return this.remove(id)
  }

  listUser(userId: string, now: number): string[] {
    const ids = this.rows(
      'SELECT id FROM sessions WHERE user_id = ? AND parent_id IS NULL ORDER BY rowid',
      userId,
    )
    return ids.map((row) => this.live(String(row.id), now)).filter((text) => text !== null)
  }

  deleteUser(userId: string, exceptId: string | null): string[] {
    const ids = this.rows('SELECT id FROM sessions WHERE user_id = ? AND parent_id IS NULL', userId)
    return ids
      .map((row) => String(row.id))
      .filter((id) => id !== exceptId)
      .flatMap((id) => this.remove(id))
  }

  setIfAbsent(key: string, ttlSec: number, now: number): boolean {
    const [row] = this.rows('SELECT expires_at FROM nonces WHERE key = ?', key)
    if (row !== undefined && now < Number(row.expires_at)) return false
    this.sql.exec(
      'INSERT OR REPLACE INTO nonces (key, expires_at) VALUES (?, ?)',
      key,
      now + ttlSec * 1000,
    )
    return true
  }

  hasKey(key: string, now: number): boolean {
    const [row] = this.rows('SELECT expires_at FROM nonces WHERE key = ?', key)
    return row !== undefined && now < Number(row.expires_at)
  }

  sweep(now: number): SweepResult {
    // One synchronous run: nothing is written between the count and the removal.
    const [count] = this.rows('SELECT COUNT(*) AS n FROM sessions')
    const scanned = Number(count?.n ?? 0)
    let removed = 0
    for (const row of this.rows('SELECT id FROM sessions WHERE expires_at <= ?', now)) {
      removed += this.remove(String(row.id)).length
    }
    this.sql.exec('DELETE FROM nonces WHERE expires_at <= ?', now)
    return { scanned, removed, kept: scanned - removed }
  }
}

/** The part of `ctx.storage.sql` the object uses. */
interface SqlLike {
  exec(query: string, ...bindings: (string | number | null)[]): { toArray(): Row[] }
}

interface DurableObjectStateLike {
  storage: { sql: SqlLike }
}

/** The object's methods as its stub offers them (every call is a promise). */
type Stub = {
  [K in keyof ShareSessions]: ShareSessions[K] extends (...args: infer A) => infer R
    ? (...args: A) => Promise<R>
    : never
}

/** A Durable Object namespace binding (`env.SHARE_SESSIONS`). */
export interface DurableObjectNamespaceLike {
  idFromName(name: string): unknown
  get(id: never): unknown
}

export interface DurableObjectStoreOptions {
  /** The binding of the {@link ShareSessions} class. */
  namespace: DurableObjectNamespaceLike
  /**
   * Which object holds the sessions: every app that shares sessions uses the
   * same name (the host and its remotes, in the same account). @default 'share'
   */
  name?: string
  /** The clock, in epoch milliseconds. @default Date.now */
  now?: () => number
}

/**
 * The session store on a {@link ShareSessions} Durable Object.
 *
 * Exported from `@share/workers/durable-object`.
 *
 * @example
 * ```ts
 * export { ShareSessions } from '@share/workers/durable-object'
 * const store = durableObjectStore({ namespace: env.SHARE_SESSIONS })
 * ```
 */
export function durableObjectStore(options: DurableObjectStoreOptions): SessionStore {
  const { namespace, name = 'share', now = Date.now } = options
  const parse = createRecordParser()
  // A stub per call: stubs are cheap, and one is never carried from one request to another.
  const stub = () => namespace.get(namespace.idFromName(name) as never) as Stub
  const read = (text: string | null): SessionRecord | null => (text === null ? null : parse(text))

  async function call<T>(operation: (target: Stub) => Promise<T>): Promise<T> {
    try {
      return await operation(stub())
    } catch (error) {
      throw storeUnavailable(error, 'durable-object store')
    }
  }

  return {
    name: 'durable-object',
    capabilities: Object.freeze({ atomic: true, nativeTtl: false }),
    get: async (id) => read(await call((s) => s.get(id, now()))),
    async getWithParent(id): Promise<SessionWithParent | null> {
      const stored = await call((s) => s.getWithParent(id, now()))
      const session = read(stored?.record ?? null)
      if (stored === null || session === null) return null
      return { session, parent: read(stored.parent) }
    },
    create: (record) =>
      call((s) =>
        s.create(
          record.id,
          record.userId,
          record.parentId,
          expiresAt(record),
          serializeRecord(record),
          now(),
        ),
      ),
    compareAndSet: (record, expectedVersion) =>
      call((s) =>
        s.compareAndSet(
          record.id,
          expectedVersion,
          expiresAt(record),
          serializeRecord(record),
          now(),
        ),
      ),
    delete: (id) => call((s) => s.delete(id)),
    listUser: async (userId) =>
      (await call((s) => s.listUser(userId, now()))).map(read).filter((record) => record !== null),
    deleteUser: (userId, exceptId) => call((s) => s.deleteUser(userId, exceptId ?? null)),
    setIfAbsent: (key, ttlSec) => call((s) => s.setIfAbsent(key, ttlSec, now())),
    hasKey: (key) => call((s) => s.hasKey(key, now())),
    sweep: (at) => call((s) => s.sweep(at)),
  }
}
