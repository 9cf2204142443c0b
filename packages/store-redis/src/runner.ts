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

/** The failure of a call past its deadline. */
const late = (timeoutMs: number) =>
  new ShareError('ERR_STORE_UNAVAILABLE', { detail: `no answer within ${timeoutMs} ms` })

/**
 * One promise under one timer, no race of two promises: `start` settles it
 * through `done` or `fail`. Any failure, a throw or the timeout becomes
 * `ERR_STORE_UNAVAILABLE`, so callers fail closed (503) and never hang.
 */
function underDeadline<T>(
  timeoutMs: number,
  start: (done: (value: T) => void, fail: (error: unknown) => void) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(late(timeoutMs)), timeoutMs)
    const done = (value: T) => {
      clearTimeout(timer)
      resolve(value)
    }
    const fail = (error: unknown) => {
      clearTimeout(timer)
      reject(storeUnavailable(error))
    }
    try {
      start(done, fail)
    } catch (error) {
      fail(error)
    }
  })
}

/** Runs a command with a deadline (see {@link underDeadline}). */
export function withDeadline<T>(operation: () => Promise<T>, timeoutMs: number): Promise<T> {
  return underDeadline<T>(timeoutMs, (done, fail) => {
    operation().then(done, fail)
  })
}

const isNoScript = (error: unknown) =>
  String((error as Error)?.message ?? error).includes('NOSCRIPT')

/**
 * A script by EVALSHA, with EVAL (which also loads it) when the server does
 * not have it yet, under one deadline. The read of every request comes
 * through here: the NOSCRIPT fallback lives inside the handlers of the one
 * promise rather than in a promise more.
 */
export function runScript(
  redis: RedisCommands,
  script: LuaScript,
  keys: string[],
  args: string[],
  timeoutMs: number,
): Promise<unknown> {
  return underDeadline<unknown>(timeoutMs, (done, fail) => {
    const load = (error: unknown) => {
      if (!isNoScript(error)) return fail(error)
      try {
        redis.eval(script.source, keys, args).then(done, fail)
      } catch (thrown) {
        fail(thrown)
      }
    }
    const send = (sha: string) => {
      try {
        redis.evalsha(sha, keys, args).then(done, load)
      } catch (error) {
        fail(error)
      }
    }
    const sha = knownSha1.get(script.source)
    if (sha === undefined) scriptSha1(script.source).then(send, fail)
    else send(sha)
  })
}
