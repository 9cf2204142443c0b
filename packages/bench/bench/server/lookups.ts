import { Redis } from 'ioredis'
import { USER, USER_ID } from './setup.ts'

/** What the minimal middlewares keep per session. */
export interface MinimalSession {
  userId: string
  user: unknown
}

export type Lookup = (sid: string) => MinimalSession | null | Promise<MinimalSession | null>

/** The minimal middlewares' session id (cookie `sid`), in the Map and under a Redis key. */
export const MINIMAL_SID = 'Jc1xq0m2V4b8tTzQyF3kR9wNpLs6HdUe7aGoYi5BvXc'

/** The minimal middlewares' cookie parsing: the first pair with this name. */
export function cookieValue(header: string | null | undefined, name: string): string | undefined {
  if (!header) return undefined
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=')
    if (eq > 0 && pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim()
  }
  return undefined
}

/** A cookie→Map or cookie→Redis GET lookup, its one session in place. */
export async function minimalLookup(store: 'map' | 'redis', redisUrl: string, prefix: string) {
  const minimal: MinimalSession = { userId: USER_ID, user: USER }
  if (store === 'map') {
    const sessions = new Map([[MINIMAL_SID, minimal]])
    const lookup: Lookup = (sid) => sessions.get(sid) ?? null
    return lookup
  }
  const client = new Redis(redisUrl)
  const key = (sid: string) => `${prefix}min:${sid}`
  await client.set(key(MINIMAL_SID), JSON.stringify(minimal))
  const lookup: Lookup = async (sid) => {
    const raw = await client.get(key(sid))
    return raw === null ? null : (JSON.parse(raw) as MinimalSession)
  }
  return lookup
}
