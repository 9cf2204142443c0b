import { type SessionRecord, type SessionStore, userTag } from '@share/core/store'

export interface StoreSuiteOptions {
  /** Shown in the suite's title, e.g. `redis (single server)`. */
  name: string
  /**
   * Builds a fresh store under `prefix` for one test. Stores that can take a
   * clock should use `now`; remote stores keep their server's time.
   */
  create(context: { prefix: string; now: () => number }): SessionStore | Promise<SessionStore>
  /**
   * `virtual`: the store reads time from `now` and the suite moves it.
   * `real`: the store keeps real time (native TTLs); the suite sleeps instead.
   */
  time: 'virtual' | 'real'
  /** Removes whatever the test left under `prefix` (remote stores), then releases the store. */
  cleanup?(store: SessionStore, prefix: string): Promise<void>
}

export interface TestClock {
  now(): number
  /** Moves time forward: instantly when virtual, by sleeping when real. */
  advance(ms: number): Promise<void>
}

export interface StoreTestContext {
  store: SessionStore
  prefix: string
  clock: TestClock
  time: 'virtual' | 'real'
}

export function createClock(time: 'virtual' | 'real'): TestClock {
  if (time === 'real') {
    return { now: Date.now, advance: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) }
  }
  let current = Date.UTC(2030, 0, 1)
  return {
    now: () => current,
    advance: async (ms) => {
      current += ms
    },
  }
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

export function randomText(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length))
  return Array.from(bytes, (byte) => ALPHABET[byte % 64]).join('')
}

/** A unique user id per call, so tests never see each other's records. */
export function freshUserId(label = 'user'): string {
  return `${label}-${randomText(10)}`
}

/** An engine-shaped id for the user: their tag, then random characters. */
export function sessionIdFor(userId: string, suffix = randomText(43)): string {
  return userTag(userId) + suffix
}

/** A valid host record (or linked, with `parentId`) expiring in an hour unless told otherwise. */
export function makeRecord(
  clock: TestClock,
  overrides: Partial<SessionRecord> & { userId?: string } = {},
): SessionRecord {
  const now = clock.now()
  const userId = overrides.userId ?? freshUserId()
  const linked = overrides.parentId !== undefined && overrides.parentId !== null
  return {
    id: sessionIdFor(userId),
    kind: linked ? 'linked' : 'host',
    userId,
    handle: randomText(22),
    parentId: null,
    audience: linked ? 'https://app-a.example.com' : null,
    user: linked
      ? null
      : { name: 'Zoë 🙂', roles: ['a', 'b'], nested: { n: 1.5, t: true, z: null } },
    createdAt: now,
    lastSeenAt: now,
    idleExpiresAt: now + 3_600_000,
    absoluteExpiresAt: now + 7_200_000,
    rememberMe: false,
    client: linked ? null : { ip: '203.0.113.7', userAgent: 'Mozilla/5.0 (X11; Linux x86_64)' },
    remotes: [],
    version: 1,
    ...overrides,
  }
}

/** The record after one update: what an engine would write with compare-and-set. */
export function bumped(record: SessionRecord, changes: Partial<SessionRecord> = {}): SessionRecord {
  return { ...record, ...changes, version: record.version + 1 }
}
