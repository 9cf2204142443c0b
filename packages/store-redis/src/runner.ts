import { ShareError } from '@share/core'
import { storeUnavailable } from '@share/core/store'
import type { LuaScript } from './scripts.js'

/**
 * The few commands the store needs, over any Redis client: ioredis,
 * node-redis or Upstash's REST client each fit in a small adapter. Lua
 * results come back as strings, integers, arrays and null.
 */
export interface RedisCommands {
  evalsha(sha1: string, keys: string[], args: string[]): Promise<unknown>
  eval(source: string, keys: string[], args: string[]): Promise<unknown>
  hget(key: string, field: string): Promise<string | null>
  /** SET key value PX ttlMs NX: true when it was set. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>
  /** EXISTS key: true while it is set (Redis drops it at its TTL). */
  exists(key: string): Promise<boolean>
}

const sha1Cache = new Map<string, Promise<string>>()
/** The same digests once known: the hot path reads them without an await. */
const knownSha1 = new Map<string, string>()

/** The SHA-1 Redis names a script by, computed once with Web Crypto. */
export function scriptSha1(source: string): Promise<string> {
  let sha = sha1Cache.get(source)
  if (!sha) {
    sha = crypto.subtle.digest('SHA-1', new TextEncoder().encode(source)).then((digest) => {
      const hex = Array.from(new Uint8Array(digest), (byte) =>
        byte.toString(16).padStart(2, '0'),
      ).join('')
      knownSha1.set(source, hex)
      return hex
    })
    sha1Cache.set(source, sha)
  }
  return sha
}

/**
 * Runs a command with a deadline; any failure or timeout becomes
 * `ERR_STORE_UNAVAILABLE`, so callers fail closed (503) and never hang.
 * One promise and one timer per call, no race of two promises: this wraps
 * the read of every request.
 */
export function withDeadline<T>(operation: () => Promise<T>, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new ShareError('ERR_STORE_UNAVAILABLE', { detail: `no answer within ${timeoutMs} ms` }),
        ),
      timeoutMs,
    )
    const fail = (error: unknown) => {
      clearTimeout(timer)
      reject(storeUnavailable(error))
    }
    try {
      operation().then((value) => {
        clearTimeout(timer)
        resolve(value)
      }, fail)
    } catch (error) {
      fail(error)
    }
  })
}

/** EVALSHA, and EVAL (which also loads the script) when the server does not have it yet. */
export function runScript(
  redis: RedisCommands,
  script: LuaScript,
  keys: string[],
  args: string[],
): Promise<unknown> {
  const sha = knownSha1.get(script.source)
  if (sha === undefined) {
    return scriptSha1(script.source).then((digest) => evalBySha(redis, digest, script, keys, args))
  }
  return evalBySha(redis, sha, script, keys, args)
}

function evalBySha(
  redis: RedisCommands,
  sha: string,
  script: LuaScript,
  keys: string[],
  args: string[],
): Promise<unknown> {
  return redis.evalsha(sha, keys, args).catch((error: unknown) => {
    if (!String((error as Error)?.message ?? error).includes('NOSCRIPT')) throw error
    return redis.eval(script.source, keys, args)
  })
}
