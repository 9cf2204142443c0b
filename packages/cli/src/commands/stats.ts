import { isShareError } from '@share/core'
import { isAlive, type SessionRecord } from '@share/core/store'
import type { OpenedStore } from '@share/store-url'
import type { Command } from 'commander'
import {
  detailOf,
  failure,
  PREFIX_HELP,
  STORE_HELP,
  type StoreOptions,
  withStore,
} from '../context.js'
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
      'live host sessions, linked sessions, users and sessions per remote (redis, redis cluster, upstash, fs)',
    )
    .option('--store <url>', STORE_HELP)
    .option('--prefix <prefix>', PREFIX_HELP)
    .option('--json', 'print the counts as JSON')
    .addHelpText(
      'after',
      '\nThe store contract has no count, so stats reads every record under the prefix: SCAN on\nRedis (every master of a cluster) and on Upstash (over REST), the directory tree on fs:.\n\nExample:\n  $ share stats --store redis://127.0.0.1:6379 --prefix share:',
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
          if (!isAlive(record, now)) {
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

/** Every stored record, by the store-url reader of the backend's layout. */
async function readAll(opened: OpenedStore): Promise<SessionRecord[]> {
  if (opened.records === undefined) {
    throw failure(`share stats cannot read a ${opened.kind} store from another process`)
  }
  const records: SessionRecord[] = []
  try {
    for await (const record of opened.records()) records.push(record)
  } catch (error) {
    if (isShareError(error) && error.code === 'ERR_CONFIG_INVALID') {
      throw failure(`share stats: ${detailOf(error.message)}`)
    }
    throw error
  }
  return records
}
