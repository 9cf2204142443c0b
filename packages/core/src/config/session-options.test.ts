import { describe, expect, it } from 'vitest'
import { isShareError } from '../errors.js'
import { generateSyncKey } from '../keys/sync-key.js'
import { createMemoryStore } from '../memory/memory-store.js'
import { truncateIp } from '../session/client.js'
import { createSessionEngine } from '../session/engine.js'
import type { SessionOptions } from './options.js'

const syncKey = generateSyncKey()

function configError(options: Record<string, unknown>): string {
  const { store, syncKey: key, ...session } = options
  const given = (name: string, fallback: unknown) =>
    Object.hasOwn(options, name) ? options[name] : fallback
  try {
    createSessionEngine({
      syncKey: given('syncKey', syncKey),
      store: given('store', createMemoryStore()),
      session: session as SessionOptions,
    } as never)
  } catch (error) {
    if (isShareError(error) && ['ERR_CONFIG_INVALID', 'ERR_KEY_INVALID'].includes(error.code))
      return error.message
    throw error
  }
  throw new Error('the engine accepted bad options')
}

describe('engine options', () => {
  it('accepts the defaults', () => {
    expect(() => createSessionEngine({ syncKey, store: createMemoryStore() })).not.toThrow()
  })

  it.each([
    ['no key', { syncKey: undefined }, /Sync key is invalid/],
    ['no store', { store: undefined }, /store must implement SessionStore/],
    [
      'an idle timeout under a minute',
      { idleTimeoutSec: 10 },
      /idleTimeoutSec must be at least 60 seconds/,
    ],
    [
      'fractional seconds',
      { absoluteLifetimeSec: 90.5 },
      /absoluteLifetimeSec must be whole seconds/,
    ],
    [
      'a string for seconds',
      { rememberMeLifetimeSec: '30d' },
      /rememberMeLifetimeSec must be a number of seconds/,
    ],
    [
      'a touch interval past the idle timeout',
      { idleTimeoutSec: 600, touchIntervalSec: 600 },
      /session.touchIntervalSec must be below session.idleTimeoutSec/,
    ],
    ['a session cap of 0', { maxSessionsPerUser: 0 }, /maxSessionsPerUser must be 1 or more/],
    [
      'an unknown client-info mode',
      { clientInfo: 'some' },
      /clientInfo must be "full", "truncated-ip" or "none"/,
    ],
    [
      'a huge cookie cache',
      { verifiedCookieCacheSize: 1e9 },
      /verifiedCookieCacheSize must be at most/,
    ],
  ] as const)('refuses %s with a message saying what to fix', (_name, options, message) => {
    expect(configError(options as Record<string, unknown>)).toMatch(message)
  })

  it('refuses a non-atomic store unless the app opts in', () => {
    const store = {
      ...createMemoryStore(),
      name: 'plain-kv',
      capabilities: { atomic: false, nativeTtl: false },
    }
    expect(configError({ store })).toMatch(
      /store "plain-kv" is not atomic.*allowNonAtomicStore: true/,
    )
    expect(() =>
      createSessionEngine({ syncKey, store, session: { allowNonAtomicStore: true } }),
    ).not.toThrow()
  })
})

describe('IP truncation', () => {
  it.each([
    ['203.0.113.77', '203.0.113.0'],
    ['2001:db8:85a3:8d3:1319:8a2e:370:7348', '2001:db8:85a3::'],
    ['2001:db8::1', '2001:db8::'],
    ['not an ip', null],
    ['::1', null],
  ])('%s → %s', (ip, expected) => {
    expect(truncateIp(ip)).toBe(expected)
  })
})
