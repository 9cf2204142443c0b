import { isAlive, type SweepProgress, type SweepResult } from '@share/core/store'
import { idLock, type Locks, nonceLock } from './lock.js'
import { type Context, readRecord, removeTree } from './tree.js'
import { toAnyRecord, toExpiry } from './values.js'

/** Items read per round trip while sweeping. */
const SWEEP_BATCH = 64

/**
 * Removes expired records (with their children and index entries) and
 * expired nonces, for drivers without TTL. The only path that lists keys.
 * Each candidate is read again under its lock before it goes, so a record
 * touched meanwhile in this process survives. Unreadable items are left
 * alone: one may be a write in progress in another process. Returns how
 * many records it listed and how many went, children included.
 */
export async function sweepExpired(
  ctx: Context,
  locks: Locks,
  now: number,
  onProgress?: SweepProgress,
): Promise<SweepResult> {
  let removed = 0
  let done = 0
  const records = await ctx.keys.listing('s')
  const listed = (await ctx.io.list(records.base)).filter(records.owns)
  onProgress?.(0, listed.length)
  for (const batch of batches(listed)) {
    const values = await ctx.io.getMany(batch)
    for (const value of values) {
      const seen = toAnyRecord(value, ctx.parse)
      if (seen === null || isAlive(seen, now)) continue
      removed += await locks.run([idLock(seen.id)], true, async () => {
        const current = await readRecord(ctx, seen.id)
        if (current === null || isAlive(current, now)) return 0
        return (await removeTree(ctx, current, true)).length
      })
    }
    done += batch.length
    onProgress?.(done, listed.length)
  }
  const nonces = await ctx.keys.listing('n')
  for (const batch of batches((await ctx.io.list(nonces.base)).filter(nonces.owns))) {
    const values = await ctx.io.getMany(batch)
    for (const [i, key] of batch.entries()) {
      const expiry = toExpiry(values[i])
      if (expiry === null || now < expiry) continue
      await locks.run([nonceLock(key)], true, async () => {
        const current = toExpiry(await ctx.io.get(key))
        if (current !== null && now >= current) await ctx.io.remove(key)
      })
    }
  }
  // A child removed with its parent was listed too; kept never goes below zero if one was added meanwhile.
  const scanned = Math.max(listed.length, removed)
  return { scanned, removed, kept: scanned - removed }
}

function batches<T>(items: readonly T[]): T[][] {
  const result: T[][] = []
  for (let i = 0; i < items.length; i += SWEEP_BATCH) result.push(items.slice(i, i + SWEEP_BATCH))
  return result
}
