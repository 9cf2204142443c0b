import { isAlive, type SessionRecord } from '@share/core/store'
import type { Io } from './io.js'
import type { Keys } from './keys.js'
import { type ParseRecord, toIds, toRecord } from './values.js'

/**
 * The building blocks of the store's operations: reading records, keeping
 * the index lists (a user's host records, a host record's linked records)
 * and removing a record with everything hanging from it. Callers hold the
 * lock of the user concerned; nothing here locks.
 */

export interface Context {
  readonly io: Io
  readonly keys: Keys
  readonly now: () => number
  /** This store's record parser (its cache is its own). */
  readonly parse: ParseRecord
}

/** An index list and which records belong in it. */
export interface IndexList {
  readonly key: string
  owns(record: SessionRecord): boolean
}

export async function userList(ctx: Context, userId: string): Promise<IndexList> {
  const key = await ctx.keys.user(userId)
  return { key, owns: (record) => record.parentId === null && record.userId === userId }
}

export async function childList(ctx: Context, parentId: string): Promise<IndexList> {
  const key = await ctx.keys.children(parentId)
  return { key, owns: (record) => record.parentId === parentId }
}

/** The list a record is indexed in: its user's, or its parent's children. */
export function listOf(ctx: Context, record: SessionRecord): Promise<IndexList> {
  return record.parentId === null ? userList(ctx, record.userId) : childList(ctx, record.parentId)
}

/** The stored record (expired or not), or `null` when missing or unreadable. */
export async function readRecord(ctx: Context, id: string): Promise<SessionRecord | null> {
  return toRecord(await ctx.io.get(await ctx.keys.record(id)), id, ctx.parse)
}

export async function readRecords(
  ctx: Context,
  ids: readonly string[],
): Promise<(SessionRecord | null)[]> {
  const keys = await Promise.all(ids.map((id) => ctx.keys.record(id)))
  const values = await ctx.io.getMany(keys)
  return ids.map((id, i) => toRecord(values[i], id, ctx.parse))
}

export interface Rewritten {
  /** Live records of the list after the change. */
  readonly live: SessionRecord[]
  /** Ids removed because they had expired (with `reap`). */
  readonly reaped: string[]
}

/**
 * Reads an index list with its records, lets `change` decide which live
 * records stay (and add new ones), and writes the list back if it changed.
 * - entries of missing records are pruned;
 * - entries of expired records are reaped (removed with their children)
 *   when `reap` is set, else kept for sweep;
 * - entries whose item is unreadable are kept: on fs another process may be
 *   halfway through writing it (the driver truncates, then writes);
 * - entries whose record belongs elsewhere are kept: on a case-insensitive
 *   file system two users' lists can share one file.
 */
export async function rewriteList(
  ctx: Context,
  list: IndexList,
  change: (live: SessionRecord[]) => SessionRecord[] | Promise<SessionRecord[]>,
  reap: boolean,
): Promise<Rewritten> {
  const now = ctx.now()
  const ids = toIds(await ctx.io.get(list.key))
  const values = await ctx.io.getMany(await Promise.all(ids.map((id) => ctx.keys.record(id))))
  const live: SessionRecord[] = []
  const kept: SessionRecord[] = []
  const keepIds = new Set<string>()
  const reaped: string[] = []
  for (const [i, id] of ids.entries()) {
    const value = values[i]
    if (value === null || value === undefined) continue
    const record = toRecord(value, id, ctx.parse)
    if (record === null) keepIds.add(id)
    else if (!list.owns(record)) kept.push(record)
    else if (isAlive(record, now)) live.push(record)
    else if (reap) reaped.push(...(await removeTree(ctx, record, false)))
    else kept.push(record)
  }
  const next = await change(live)
  for (const record of [...kept, ...next]) keepIds.add(record.id)
  // Old order first, new entries after: an unchanged list is not rewritten.
  const nextIds = ids.filter((id) => keepIds.has(id))
  for (const record of next) if (!nextIds.includes(record.id)) nextIds.push(record.id)
  if (nextIds.length === 0) {
    if (ids.length > 0) await ctx.io.remove(list.key)
  } else if (nextIds.length !== ids.length || nextIds.some((id, i) => id !== ids[i])) {
    // With native TTL the list lives as long as its longest-lived record could.
    const until = Math.max(now, ...[...kept, ...next].map((record) => record.absoluteExpiresAt))
    await ctx.io.set(list.key, JSON.stringify(nextIds), until)
  }
  return { live: next, reaped }
}

/**
 * Removes a record, then its linked records and their list, then (with
 * `unhook`) its entry in its own list. The record goes first: once it is
 * gone its children are refused as `parent-gone` even if a later step
 * fails. Returns every removed id, the record's first.
 */
export async function removeTree(
  ctx: Context,
  record: SessionRecord,
  unhook: boolean,
): Promise<string[]> {
  const removed = [record.id]
  await ctx.io.remove(await ctx.keys.record(record.id))
  const childrenKey = await ctx.keys.children(record.id)
  const stored = await ctx.io.get(childrenKey)
  if (stored !== null) {
    for (const child of await readRecords(ctx, toIds(stored))) {
      if (child?.parentId === record.id) removed.push(...(await removeTree(ctx, child, false)))
    }
    await ctx.io.remove(childrenKey)
  }
  if (unhook) {
    const list = await listOf(ctx, record)
    await rewriteList(ctx, list, (live) => live.filter((other) => other.id !== record.id), false)
  }
  return removed
}
