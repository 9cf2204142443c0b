import type { RedisCommands } from './runner.js'

/**
 * The part of an ioredis client (`Redis` or `Cluster`) the store uses,
 * typed structurally so this package needs no runtime import of ioredis.
 */
export interface IORedisLike {
  evalsha(sha1: string, numKeys: string, ...keysAndArgs: string[]): Promise<unknown>
  eval(script: string, numKeys: string, ...keysAndArgs: string[]): Promise<unknown>
  hget(key: string, field: string): Promise<string | null>
  set(
    key: string,
    value: string,
    millisecondsToken: 'PX',
    milliseconds: number,
    nx: 'NX',
  ): Promise<'OK' | null>
  exists(key: string): Promise<number>
}

/** Adapts an ioredis `Redis` or `Cluster` to the store's few commands. */
export function fromIORedis(client: IORedisLike): RedisCommands {
  return {
    // The key count as text: ioredis would convert a number on every call. The read of
    // every request (one key, one argument) is passed without spreading two arrays.
    evalsha: (sha1, keys, args) =>
      keys.length === 1 && args.length === 1
        ? client.evalsha(sha1, '1', keys[0] as string, args[0] as string)
        : client.evalsha(sha1, String(keys.length), ...keys, ...args),
    eval: (source, keys, args) => client.eval(source, String(keys.length), ...keys, ...args),
    hget: (key, field) => client.hget(key, field),
    setIfAbsent: async (key, value, ttlMs) =>
      (await client.set(key, value, 'PX', ttlMs, 'NX')) === 'OK',
    exists: async (key) => (await client.exists(key)) === 1,
  }
}
