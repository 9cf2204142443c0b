import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Storage } from 'unstorage'
import { keyBase } from '../src/keys.js'

/**
 * The shared Redis server the tests use (127.0.0.1:6379, or REDIS_URL as in
 * the other store packages); every run keeps to its own key base.
 */
export const REDIS: { url: string } | { host: string; port: number } = process.env.REDIS_URL
  ? { url: process.env.REDIS_URL }
  : { host: '127.0.0.1', port: 6379 }

/** A name no other run or test shares. */
export function uniqueName(label: string): string {
  return `${label}-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`
}

/** A fresh directory under the OS temp dir, and a way to remove it. */
export function tempDir(label: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `share-unstorage-${label}-`))
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) }
}

/** Removes exactly the items a store with `prefix` may have written, nothing else. */
export async function removeUnder(storage: Storage, prefix: string): Promise<void> {
  const base = await keyBase(prefix)
  if (base === '') throw new Error('refusing to remove every key: empty prefix')
  const keys = await storage.getKeys(base)
  await Promise.all(keys.map((key) => storage.removeItem(key)))
}
