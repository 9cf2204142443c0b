import { createKeyring, type Keyring } from '../keys/keyring.js'
import { generateSyncKey } from '../keys/sync-key.js'
import { createMemoryStore } from '../memory/memory-store.js'
import { createSessionEngine } from './engine.js'
import type { SessionEvent } from './events.js'
import type { SessionEngineOptions } from './options.js'
import type { SessionStore } from './store.js'

/** Test-only helpers for the engine tests (not exported from the package). */

export const MINUTE = 60_000

export interface Harness {
  engine: ReturnType<typeof createSessionEngine>
  store: SessionStore
  calls: { reads: number; writes: number }
  events: SessionEvent[]
  clock: { now: () => number; advance: (ms: number) => void }
  keyring: Keyring
}

const READS = new Set(['get', 'getMany', 'getWithParent', 'listUser', 'children'])

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

let sharedKeyring: Promise<Keyring> | undefined

export async function harness(options: Partial<SessionEngineOptions> = {}): Promise<Harness> {
  sharedKeyring ??= createKeyring(generateSyncKey())
  const keyring = await sharedKeyring
  const clock = createTestClock()
  const calls = { reads: 0, writes: 0 }
  const events: SessionEvent[] = []
  const store = countingStore(options.store ?? createMemoryStore({ now: clock.now }), calls)
  const engine = createSessionEngine({
    keyring,
    now: clock.now,
    onEvent: (event) => events.push(event),
    ...options,
    store,
  })
  return { engine, store, calls, events, clock, keyring }
}
