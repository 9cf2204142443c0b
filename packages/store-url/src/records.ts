import { ShareError } from '@share/core'
import { parseRecord, type SessionRecord } from '@share/core/store'
import { createKeys } from '@share/store-redis'
import type { Redis as UpstashRedis } from '@upstash/redis'
import type { Cluster, Redis } from 'ioredis'
import type { Storage } from 'unstorage'

/**
 * Every session record stored under a prefix, for tools that count
 * (`share stats`): the store contract has no listing, so these read each
 * backend's own layout. Expired records a store still holds are included;
 * the caller decides what is live. Never used on a request path.
 */

/** Keys per SCAN step, and so per pipelined read. */
const SCAN_COUNT = 500

const escapeGlob = (text: string) => text.replace(/[*?[\]\\]/g, '\\$&')

/** The SCAN pattern of record hashes (`<prefix>{<tag>}s:<id>`, field `d` holds the JSON). */
const recordPattern = (prefix: string) => createKeys(escapeGlob(prefix)).record('*')

/** Redis, or every master of a Redis Cluster: SCAN, then the records' JSON in one pipeline per step. */
export async function* redisRecords(
  client: Redis | Cluster,
  prefix: string,
): AsyncGenerator<SessionRecord> {
  const nodes: Redis[] = 'nodes' in client ? client.nodes('master') : [client]
  for (const node of nodes) {
    let cursor = '0'
    do {
      const [next, keys] = await node.scan(
        cursor,
        'MATCH',
        recordPattern(prefix),
        'COUNT',
        SCAN_COUNT,
      )
      cursor = next
      if (keys.length === 0) continue
      const pipeline = node.pipeline()
      for (const key of keys) pipeline.hget(key, 'd')
      for (const [error, value] of (await pipeline.exec()) ?? []) {
        const record = error === null ? parseRecord(value) : null
        if (record !== null) yield record
      }
    } while (cursor !== '0')
  }
}

/** Upstash: the same SCAN and reads over its REST API (one pipeline request per step). */
export async function* upstashRecords(
  client: UpstashRedis,
  prefix: string,
): AsyncGenerator<SessionRecord> {
  let cursor = '0'
  do {
    const [next, keys] = await client.scan(cursor, {
      match: recordPattern(prefix),
      count: SCAN_COUNT,
    })
    cursor = String(next)
    if (keys.length === 0) continue
    const pipeline = client.pipeline()
    for (const key of keys) pipeline.hget(key, 'd')
    for (const value of await pipeline.exec()) {
      const record = parseRecord(typeof value === 'string' ? value : null)
      if (record !== null) yield record
    }
  } while (cursor !== '0')
}

/**
 * The unstorage fs store: its record items are `<prefix>s:<id>`. Only plain
 * prefixes (segments of letters, digits, `_` and `-`, each ending in `:`),
 * since the store encodes other segments with an encoder of its own.
 */
export async function* fsRecords(storage: Storage, prefix: string): AsyncGenerator<SessionRecord> {
  if (!/^([A-Za-z0-9_-]{1,100}:)+$/.test(prefix)) {
    throw new ShareError('ERR_CONFIG_INVALID', {
      detail:
        'listing records on fs: needs a prefix of letters, digits, _ and - segments, each ending in : (such as share:)',
    })
  }
  const base = `${prefix}s:`
  const keys = (await storage.getKeys(base)).filter(
    (key) => key.startsWith(base) && !key.includes(':', base.length),
  )
  for (const key of keys) {
    const value: unknown = await storage.getItem(key)
    const text = typeof value === 'string' ? value : value === null ? null : JSON.stringify(value)
    const record = parseRecord(text)
    if (record !== null) yield record
  }
}
