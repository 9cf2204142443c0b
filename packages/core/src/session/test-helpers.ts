import type { SessionOptions } from '../config/options.js'
import { readEngineConfig } from '../config/read.js'
import { createKeySource } from '../keys/key-source.js'
import { generateSyncKey } from '../keys/sync-key.js'
import { createMemoryStore } from '../memory/memory-store.js'
import type { EngineContext } from './context.js'
import { buildEngine, type SessionEngine } from './engine.js'
import type { SessionEvent } from './events.js'
import type { SessionRecord } from './record.js'
import type { SessionStore } from './store.js'

/** Test-only helpers for the engine tests (not exported from the package). */

export const MINUTE = 60_000

/** A valid stored record with every field filled, for the record codec's tests. */
export const sampleRecord: SessionRecord = {
  id: 'abcdef0123456789012345678901234567890123456789012',
  kind: 'host',
  userId: 'alice@example.com',
  handle: 'h0123456789012345678901',
  parentId: null,
  audience: null,
  user: { name: 'Zoë', tags: ['a'], nested: { ok: true, n: null } },
  createdAt: 1,
  lastSeenAt: 2,
  idleExpiresAt: 3,
  absoluteExpiresAt: 4,
  rememberMe: false,
  client: { ip: '203.0.113.7', userAgent: 'UA' },
  remotes: [{ audience: 'https://a.example', firstSeenAt: 1, lastSeenAt: 2 }],
  version: 1,
}

export interface Harness {
  engine: SessionEngine
  /** The engine's context, for the parts core's handlers call directly (the replay guard). */
  ctx: EngineContext
  store: SessionStore
  calls: { reads: number; writes: number }
  events: SessionEvent[]
  clock: { now: () => number; advance: (ms: number) => void }
  syncKey: string
}

const READS = new Set(['get', 'getWithParent', 'listUser', 'hasKey'])

/** Wraps a store to count the calls the engine makes, split into reads and writes. */
export function countingStore(
  inner: SessionStore,
  calls: { reads: number; writes: number },
): SessionStore {
  return new Proxy(inner, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver)
      if (typeof value !== 'function') return value
      return (...args: unknown[]) => {
        if (READS.has(String(property))) calls.reads++
        else calls.writes++
        return value.apply(target, args)
      }
    },
  })
}

/** A clock the test moves by hand, starting at 2030-01-01. */
export function createTestClock() {
  let now = Date.UTC(2030, 0, 1)
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms
    },
  }
}

const syncKey = generateSyncKey()

/** An engine on a fresh memory store and hand-moved clock; session options flat, as in the tests' tables. */
export async function harness(
  options: SessionOptions & { store?: SessionStore; onEvent?: (event: SessionEvent) => void } = {},
): Promise<Harness> {
  const { store: given, onEvent, ...session } = options
  const clock = createTestClock()
  const calls = { reads: 0, writes: 0 }
  const events: SessionEvent[] = []
  const store = countingStore(given ?? createMemoryStore({ now: clock.now }), calls)
  const config = readEngineConfig(session, {
    keys: createKeySource(syncKey),
    store,
    now: clock.now,
    onEvent: onEvent ?? ((event) => events.push(event)),
  })
  const { engine, ctx } = buildEngine(config)
  await engine.ready()
  return { engine, ctx, store, calls, events, clock, syncKey }
}
