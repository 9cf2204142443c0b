import { betterAuth, type SecondaryStorage } from 'better-auth'
import { memoryAdapter } from 'better-auth/adapters/memory'
import type { Redis } from 'ioredis'
import { APP_URL } from './setup.ts'

/** better-auth's secondaryStorage on ioredis, every key under `prefix`. */
function redisSecondaryStorage(client: Redis, prefix: string): SecondaryStorage {
  return {
    get: (key) => client.get(prefix + key),
    set: async (key, value, ttl) => {
      if (ttl !== undefined && ttl > 0) await client.set(prefix + key, value, 'EX', ttl)
      else await client.set(prefix + key, value)
    },
    delete: async (key) => {
      await client.del(prefix + key)
    },
    getAndDelete: (key) => client.getdel(prefix + key),
    increment: async (key, ttl) => {
      // One transaction: INCR, and a TTL only if the counter has none yet (EXPIRE NX, Redis 7).
      const replies = await client
        .multi()
        .incr(prefix + key)
        .expire(prefix + key, ttl, 'NX')
        .exec()
      const [error, count] = replies?.[0] ?? [new Error('increment: transaction aborted')]
      if (error) throw error
      return count as number
    },
  }
}

/** better-auth with no database of its own: users in memory, sessions in the benchmark Redis. */
export function createBenchAuth(
  client: Redis,
  prefix: string,
  cookieCache: boolean,
  cookieCacheMaxAge: number,
) {
  return betterAuth({
    appName: 'Share bench',
    baseURL: APP_URL,
    secret: 'a-better-auth-secret-for-the-benchmark-only-0123456789',
    database: memoryAdapter({ user: [], session: [], account: [], verification: [] }),
    secondaryStorage: redisSecondaryStorage(client, `${prefix}better-auth:`),
    emailAndPassword: { enabled: true },
    session: { cookieCache: { enabled: cookieCache, maxAge: cookieCacheMaxAge } },
    telemetry: { enabled: false },
  })
}

export type BenchAuth = ReturnType<typeof createBenchAuth>

/** A better-auth sign-up through its server API: the user's id and the cookies it set. */
export async function betterAuthSignUp(
  auth: BenchAuth,
  cookieCache: boolean,
): Promise<{ userId: string; cookie: string }> {
  const { headers, response } = await auth.api.signUpEmail({
    body: { name: 'Bench User', email: 'bench@example.com', password: 'a-bench-password-1234' },
    returnHeaders: true,
  })
  // session_token, and session_data when the cookie cache is on: wrk sends them all.
  const cookies = headers.getSetCookie().map((cookie) => cookie.split(';')[0]!)
  if (!response.user?.id || !cookies.some((c) => c.startsWith('better-auth.session_token='))) {
    throw new Error('better-auth sign-up set no session cookie')
  }
  if (cookieCache && !cookies.some((c) => c.startsWith('better-auth.session_data='))) {
    throw new Error('better-auth with cookieCache on set no session_data cookie')
  }
  return { userId: response.user.id, cookie: cookies.join('; ') }
}

/** What iron-session seals into its cookie. */
export interface IronData {
  userId?: string
  user?: unknown
}

export const IRON_OPTIONS = {
  password: 'an-iron-session-password-for-the-benchmark-only-0123456789',
  cookieName: 'iron_session',
}
