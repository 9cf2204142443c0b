/**
 * @share/store-upstash: Share's session store on Upstash Redis over its REST
 * API, for edge runtimes (Workers, Vercel Edge, Deno Deploy) as well as Node.
 * The same Lua scripts as `@share/store-redis`, so the same atomicity.
 *
 * @module
 */
import type { SessionStore } from '@share/core/store'
import {
  createScriptedStore,
  type RedisCommands,
  type ScriptedStoreOptions,
} from '@share/store-redis'
import { Redis } from '@upstash/redis'

/** The part of an `@upstash/redis` client the store uses. */
export interface UpstashRedisLike {
  evalsha(sha1: string, keys: string[], args: string[]): Promise<unknown>
  eval(script: string, keys: string[], args: string[]): Promise<unknown>
  hget(key: string, field: string): Promise<unknown>
  set(key: string, value: string, options: { nx: true; px: number }): Promise<unknown>
  exists(...keys: string[]): Promise<number>
}

export type UpstashStoreOptions = ScriptedStoreOptions &
  (
    | {
        /** `UPSTASH_REDIS_REST_URL` */
        url: string
        /** `UPSTASH_REDIS_REST_TOKEN` */
        token: string
      }
    | {
        /**
         * Your own client. Create it with `automaticDeserialization: false`;
         * record JSON would otherwise come back parsed (the store copes, at a cost).
         */
        client: UpstashRedisLike
      }
  )

/**
 * A session store on Upstash Redis.
 *
 * Exported from `@share/store-upstash`.
 *
 * @example
 * ```ts
 * import { upstashStore } from '@share/store-upstash'
 * const store = upstashStore({ url: env.UPSTASH_REDIS_REST_URL, token: env.UPSTASH_REDIS_REST_TOKEN })
 * ```
 */
export function upstashStore(options: UpstashStoreOptions): SessionStore {
  const { prefix, commandTimeoutMs = 2000, name = 'upstash' } = options
  const client =
    'client' in options
      ? options.client
      : createUpstashClient(options.url, options.token, commandTimeoutMs)
  return createScriptedStore(fromUpstash(client), {
    ...(prefix === undefined ? {} : { prefix }),
    commandTimeoutMs,
    name,
  })
}

/**
 * The `@upstash/redis` client the store makes from a URL and token: text
 * answers (no JSON decoding), no telemetry, each request aborted at
 * `timeoutMs`, one retry. Tools that read more than the store does (the
 * `share stats` scan) make theirs here, so both behave alike.
 *
 * Exported from `@share/store-upstash`.
 */
export function createUpstashClient(url: string, token: string, timeoutMs = 2000): Redis {
  return new Redis({
    url,
    token,
    automaticDeserialization: false,
    enableTelemetry: false,
    // Each HTTP request is aborted at the store's deadline instead of lingering.
    signal: () => AbortSignal.timeout(timeoutMs),
    retry: { retries: 1, backoff: () => 50 },
  })
}

/**
 * A client with automatic deserialization hands back JSON text as objects;
 * the store wants the text.
 */
function asText(value: unknown): unknown {
  if (value === null || value === undefined) return null
  if (typeof value === 'string' || typeof value === 'number') return value
  if (Array.isArray(value)) return value.map(asText)
  return JSON.stringify(value)
}

/** Adapts an `@upstash/redis` client to the store's few commands. */
export function fromUpstash(client: UpstashRedisLike): RedisCommands {
  return {
    evalsha: async (sha1, keys, args) => asText(await client.evalsha(sha1, keys, args)),
    eval: async (source, keys, args) => asText(await client.eval(source, keys, args)),
    hget: async (key, field) => {
      const value = asText(await client.hget(key, field))
      return value === null ? null : String(value)
    },
    setIfAbsent: async (key, value, ttlMs) =>
      (await client.set(key, value, { nx: true, px: ttlMs })) === 'OK',
    exists: async (key) => Number(await client.exists(key)) === 1,
  }
}
