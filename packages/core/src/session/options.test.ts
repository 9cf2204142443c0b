import { describe, expect, it } from 'vitest'
import { isShareError } from '../errors.js'
import { createKeyring } from '../keys/keyring.js'
import { generateSyncKey } from '../keys/sync-key.js'
import { createMemoryStore } from '../memory/memory-store.js'
import { truncateIp } from './client.js'
import { createSessionEngine } from './engine.js'
import type { SessionEngineOptions } from './options.js'

const keyring = await createKeyring(generateSyncKey())

function configError(options: Partial<SessionEngineOptions>): string {
  try {
    createSessionEngine({ keyring, store: createMemoryStore(), ...options } as SessionEngineOptions)
  } catch (error) {
    if (isShareError(error) && error.code === 'ERR_CONFIG_INVALID') return error.message
    throw error
  }
  throw new Error('the engine accepted bad options')
}

describe('engine options', () => {
  it('accepts the defaults', () => {
    expect(() => createSessionEngine({ keyring, store: createMemoryStore() })).not.toThrow()
  })

  it.each([
    ['no keyring', { keyring: undefined }, /keyring must come from createKeyring/],
    ['a string as keyring', { keyring: 'share_sk1_x' }, /keyring must come from createKeyring/],
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
      /touchIntervalSec must be below idleTimeoutSec/,
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
    expect(configError(options as Partial<SessionEngineOptions>)).toMatch(message)
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
    expect(() => createSessionEngine({ keyring, store, allowNonAtomicStore: true })).not.toThrow()
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
