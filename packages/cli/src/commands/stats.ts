import { parseRecord, type SessionRecord } from '@share/core/store'
import { createKeys } from '@share/store-redis'
import type { OpenedStore } from '@share/store-url'
import type { Command } from 'commander'
import type { Cluster, Redis } from 'ioredis'
import { failure, PREFIX_HELP, STORE_HELP, type StoreOptions, withStore } from '../context.js'
import { printable } from '../format.js'
import type { Io } from '../io.js'

interface Stats {
  store: string
  hostSessions: number
  linkedSessions: number
  users: number
  /** Live linked sessions per remote origin. */
  perRemote: Record<string, number>
  /** Records past their expiry still stored (stores without native TTL, until `share sweep`). */
  expired: number
}

export function registerStats(program: Command, io: Io): void {
  program
    .command('stats')
    .description(
      'live host sessions, linked sessions, users and sessions per remote (redis, redis cluster, fs)',
    )
    .option('--store <url>', STORE_HELP)
    .option('--prefix <prefix>', PREFIX_HELP)
    .option('--json', 'print the counts as JSON')
    .addHelpText(
      'after',
      '\nThe store contract has no count, so stats reads every record under the prefix: SCAN on\nRedis (every master of a cluster), the directory tree on fs:. Upstash is not supported.\n\nExample:\n  $ share stats --store redis://127.0.0.1:6379 --prefix share:',
    )
    .action((options: StoreOptions & { json?: boolean }) =>
      withStore(options, io, async (opened) => {
        const records = await readAll(opened)
        const now = Date.now()
        const stats: Stats = {
          store: opened.location,
          hostSessions: 0,
          linkedSessions: 0,
          users: 0,
          perRemote: {},
          expired: 0,
        }
        const users = new Set<string>()
        for (const record of records) {
          if (Math.min(record.idleExpiresAt, record.absoluteExpiresAt) <= now) {
            stats.expired++
            continue
          }
          users.add(record.userId)
          if (record.kind === 'host') stats.hostSessions++
          else {
            stats.linkedSessions++
            const audience = record.audience ?? '?'
            stats.perRemote[audience] = (stats.perRemote[audience] ?? 0) + 1
          }
        }
        stats.users = users.size
        if (options.json) {
          io.out(JSON.stringify(stats))
          return
        }
        io.out(`store            ${opened.location} (prefix ${printable(opened.prefix)})`)
        io.out(`host sessions    ${stats.hostSessions}`)
        io.out(`linked sessions  ${stats.linkedSessions}`)
        io.out(`users            ${stats.users}`)
        if (!opened.store.capabilities.nativeTtl)
          io.out(`expired          ${stats.expired} (removed by share sweep)`)
        const remotes = Object.entries(stats.perRemote).sort((a, b) => b[1] - a[1])
        io.out(`per remote       ${remotes.length === 0 ? '-' : ''}`)
        const width = Math.max(0, ...remotes.map(([origin]) => printable(origin).length))
        for (const [origin, count] of remotes)
          io.out(`  ${printable(origin).padEnd(width)}  ${count}`)
      }),
    )
}

async function readAll(opened: OpenedStore): Promise<SessionRecord[]> {
  if (opened.redis !== undefined) return readRedis(opened.redis, opened.kind, opened.prefix)
  if (opened.storage !== undefined) return readFs(opened)
  throw failure(
    `share stats supports redis://, redis+cluster:// and fs: stores; the ${opened.kind} store can only be counted by scanning keys, which this CLI does not do there`,
  )
}

const escapeGlob = (text: string) => text.replace(/[*?[\]\\]/g, '\\$&')

async function readRedis(
  client: Redis | Cluster,
  kind: string,
  prefix: string,
): Promise<SessionRecord[]> {
  // The store's own layout: `<prefix>{<tag>}s:<id>`, field `d` holds the record JSON.
  const pattern = createKeys(escapeGlob(prefix)).record('*')
  const nodes: Redis[] =
    kind === 'redis-cluster' ? (client as Cluster).nodes('master') : [client as Redis]
  const records: SessionRecord[] = []
  for (const node of nodes) {
    let cursor = '0'
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 500)
      cursor = next
      if (keys.length === 0) continue
      const pipeline = node.pipeline()
      for (const key of keys) pipeline.hget(key, 'd')
      for (const [error, value] of (await pipeline.exec()) ?? []) {
        const record = error === null ? parseRecord(value) : null
        if (record !== null) records.push(record)
      }
    } while (cursor !== '0')
  }
  return records
}

async function readFs(opened: OpenedStore): Promise<SessionRecord[]> {
  const storage = opened.storage!
  // Plain prefixes only: the unstorage store encodes other segments, and its encoder is internal.
  if (!/^([A-Za-z0-9_-]{1,100}:)+$/.test(opened.prefix)) {
    throw failure(
      'share stats on fs: needs a prefix of letters, digits, _ and - segments, each ending in : (such as share:)',
    )
  }
  const base = `${opened.prefix}s:`
  const keys = (await storage.getKeys(base)).filter(
    (key) => key.startsWith(base) && !key.includes(':', base.length),
  )
  const records: SessionRecord[] = []
  for (const key of keys) {
    const value: unknown = await storage.getItem(key)
    const text = typeof value === 'string' ? value : value === null ? null : JSON.stringify(value)
    const record = parseRecord(text)
    if (record !== null) records.push(record)
  }
  return records
}
