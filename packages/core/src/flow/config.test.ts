import { describe, expect, it } from 'vitest'
import { isShareError } from '../errors.js'
import { generateSyncKey } from '../keys/sync-key.js'
import { createMemoryStore } from '../memory/memory-store.js'
import { fromEnv } from './config.js'
import { createShareHost } from './host.js'
import { createShareRemote } from './remote.js'

const key = generateSyncKey()

async function configError(run: () => unknown): Promise<string> {
  try {
    await run()
  } catch (error) {
    if (isShareError(error) && ['ERR_CONFIG_INVALID', 'ERR_KEY_INVALID'].includes(error.code))
      return error.message
    throw error
  }
  throw new Error('the configuration was accepted')
}

describe('fromEnv', () => {
  it('reads the PHP-compatible names, splitting comma lists', () => {
    const other = generateSyncKey()
    expect(
      fromEnv({
        SHARE_SYNC_KEY: ` ${key} , ${other} `,
        SHARE_APP_URL: 'https://app.example.com',
        SHARE_IDP_URL: 'https://idp.example.com',
        SHARE_KNOWN_REMOTES: 'https://a.example.com, https://b.example.com,',
      }),
    ).toEqual({
      syncKey: [key, other],
      appUrl: 'https://app.example.com',
      idpUrl: 'https://idp.example.com',
      knownRemotes: ['https://a.example.com', 'https://b.example.com'],
    })
  })

  it.each([
    [{}, /SHARE_SYNC_KEY is not set; make a key with `npm run keygen`/],
    [{ SHARE_SYNC_KEY: ' , ' }, /SHARE_SYNC_KEY is not set/],
    [{ SHARE_SYNC_KEY: key }, /SHARE_APP_URL is not set/],
  ])('says which variable is missing: %j', async (env, message) => {
    expect(await configError(() => fromEnv(env))).toMatch(message)
  })
})

describe('handler configuration fails at start-up, saying what to fix', () => {
  const remote = (overrides: Record<string, unknown>) =>
    createShareRemote({
      syncKey: key,
      appUrl: 'https://app.example.com',
      idpUrl: 'https://idp.example.com',
      store: createMemoryStore(),
      ...overrides,
    } as never)

  it.each([
    [
      { appUrl: 'http://app.example.com' },
      /appUrl \(SHARE_APP_URL\): .*plain http on a non-loopback host; use https/,
    ],
    [
      { appUrl: 'https://app.example.com/path' },
      /appUrl \(SHARE_APP_URL\): .*write it as https:\/\/app.example.com/,
    ],
    [{ idpUrl: 'idp.example.com' }, /idpUrl \(SHARE_IDP_URL\): .*not a URL/],
    [{ syncKey: 'not-a-key' }, /Sync key is invalid.*key #1/],
    [{ basePath: 'share/' }, /basePath must look like \/share/],
    [{ cookieName: 'a b' }, /cookieName must be 1 to 64/],
    [{ afterLogoutPath: '//evil.example' }, /afterLogoutPath must be a local path/],
    [{ tokenLeewaySec: 99 }, /tokenLeewaySec must be at most 30/],
    [{ session: { idleTimeoutSec: 5 } }, /idleTimeoutSec must be at least 60 seconds/],
  ])('remote: %j', async (overrides, message) => {
    expect(await configError(() => remote(overrides))).toMatch(message)
  })

  it.each([
    [{ knownRemotes: [] }, /allow-list: the allow-list is empty/],
    [{ knownRemotes: ['*'] }, /every site/],
    [{ knownRemotes: ['http://app.example.com'] }, /use https/],
    [{ tokenTtlSec: 3600 }, /tokenTtlSec must be at most 600/],
    [{ loginPath: 'login' }, /loginPath must be a local path/],
  ])('host: %j', async (overrides, message) => {
    const options = {
      syncKey: key,
      appUrl: 'https://idp.example.com',
      knownRemotes: ['https://app.example.com'],
      store: createMemoryStore(),
      ...overrides,
    }
    expect(await configError(() => createShareHost(options as never))).toMatch(message)
  })

  it('never prints the key in a message', async () => {
    const bad = `${key.slice(0, -1)}+`
    expect(await configError(() => remote({ syncKey: bad }))).not.toContain(key.slice(10, 30))
  })
})
