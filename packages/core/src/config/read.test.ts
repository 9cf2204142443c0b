import { describe, expect, it } from 'vitest'
import { isShareError } from '../errors.js'
import { createShareHost } from '../flow/host.js'
import { createShareRemote } from '../flow/remote.js'
import { generateSyncKey } from '../keys/sync-key.js'
import { createMemoryStore } from '../memory/memory-store.js'
import { fromEnv } from './env.js'

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
  it('reads a remote: the key list split on commas, the host under SHARE_HOST_URL', () => {
    const other = generateSyncKey()
    expect(
      fromEnv(
        {
          SHARE_SYNC_KEY: ` ${key} , ${other} `,
          SHARE_APP_URL: 'https://app.example.com',
          SHARE_HOST_URL: 'https://login.example.com',
        },
        'remote',
      ),
    ).toEqual({
      syncKey: [key, other],
      appUrl: 'https://app.example.com',
      hostUrl: 'https://login.example.com',
    })
  })

  it('accepts SHARE_IDP_URL, the PHP bundle name, as an alias', () => {
    const env = {
      SHARE_SYNC_KEY: key,
      SHARE_APP_URL: 'https://a.example',
      SHARE_IDP_URL: 'https://h.example',
    }
    expect(fromEnv(env, 'remote').hostUrl).toBe('https://h.example')
  })

  it("reads a Workers env, whose bindings are not strings, and ignores what isn't text", () => {
    const env = {
      SHARE_SYNC_KEY: key,
      SHARE_APP_URL: 'https://app.example.com',
      SHARE_HOST_URL: 'https://login.example.com',
      SESSIONS: { get() {} }, // a KV or Durable Object binding
      SHARE_IDP_URL: 42,
    }
    expect(fromEnv(env, 'remote').hostUrl).toBe('https://login.example.com')
  })

  it('reads a host with its known remotes', () => {
    const env = {
      SHARE_SYNC_KEY: key,
      SHARE_APP_URL: 'https://login.example.com',
      SHARE_KNOWN_REMOTES: 'https://a.example.com, https://b.example.com,',
    }
    expect(fromEnv(env, 'host')).toEqual({
      syncKey: [key],
      appUrl: 'https://login.example.com',
      knownRemotes: ['https://a.example.com', 'https://b.example.com'],
    })
  })

  it.each([
    [{}, 'remote', /SHARE_SYNC_KEY is not set; make one with `node -e/],
    [{ SHARE_SYNC_KEY: ' , ' }, 'remote', /SHARE_SYNC_KEY is not set/],
    [{ SHARE_SYNC_KEY: key }, 'host', /SHARE_APP_URL is not set/],
    [
      { SHARE_SYNC_KEY: key, SHARE_APP_URL: 'https://a.example' },
      'remote',
      /SHARE_HOST_URL is not set/,
    ],
    [
      { SHARE_SYNC_KEY: key, SHARE_APP_URL: 'https://a.example' },
      'host',
      /SHARE_KNOWN_REMOTES is not set/,
    ],
  ] as const)('says which variable is missing: %j as %s', async (env, role, message) => {
    expect(await configError(() => fromEnv(env, role as 'remote'))).toMatch(message)
  })
})

describe('handler configuration fails at start-up, saying what to fix', () => {
  const remote = (overrides: Record<string, unknown>) =>
    createShareRemote({
      syncKey: key,
      appUrl: 'https://app.example.com',
      hostUrl: 'https://idp.example.com',
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
    [
      { hostUrl: 'idp.example.com:5100' },
      /hostUrl \(SHARE_HOST_URL\): "idp.example.com:5100" has no scheme; write it as https:\/\/idp.example.com:5100/,
    ],
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
    [{ knownRemotes: [] }, /knownRemotes \(SHARE_KNOWN_REMOTES\) is empty: list the remotes/],
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

  it.each([
    [
      { idleTimeoutSec: 600 },
      /idleTimeoutSec belongs in the session group: session: \{ idleTimeoutSec \}/,
    ],
    [{ tokenTtlSec: 30 }, /tokenTtlSec is a host option: pass it to createShareHost/],
    [{ idpUrl: 'https://idp.example.com' }, /idpUrl is now called hostUrl/],
    [{ session: { now: Date.now } }, /session.now belongs at the top level/],
    [{ sesion: {} }, /sesion is not an option of createShareRemote/],
    [{ session: { idleTimeout: 600 } }, /session.idleTimeout is not an option/],
  ])('remote: a misplaced or unknown option names its place: %j', async (overrides, message) => {
    expect(await configError(() => remote(overrides))).toMatch(message)
  })

  it('a missing required option is called required, with what to give, not "not an option"', async () => {
    const message = await configError(() =>
      createShareHost({ syncKey: key, store: createMemoryStore() } as never),
    )
    expect(message).toMatch(/appUrl is required: this app's own public origin/)
    expect(message).toMatch(/knownRemotes is required: the remotes' origins/)
    expect(message).not.toMatch(/not an option/)
    // A wrong name beside the missing one is still named as unknown.
    const both = await configError(() =>
      createShareHost({
        syncKey: key,
        appUrl: 'https://idp.example.com',
        allowList: [],
        store: createMemoryStore(),
      } as never),
    )
    expect(both).toMatch(/knownRemotes is required/)
    expect(both).toMatch(/allowList is not an option of createShareHost/)
  })

  it('host: a remote-only option names its place', async () => {
    const options = {
      syncKey: key,
      appUrl: 'https://idp.example.com',
      knownRemotes: ['https://app.example.com'],
      store: createMemoryStore(),
      tokenLeewaySec: 5,
    }
    expect(await configError(() => createShareHost(options as never))).toMatch(
      /tokenLeewaySec is a remote option: pass it to createShareRemote/,
    )
  })

  it('lists every problem at once', async () => {
    const message = await configError(() => remote({ basePath: 'x', cookieName: 'a b' }))
    expect(message).toMatch(/basePath.*cookieName/)
  })

  it('never prints the key in a message', async () => {
    const bad = `${key.slice(0, -1)}+`
    expect(await configError(() => remote({ syncKey: bad }))).not.toContain(key.slice(10, 30))
  })
})

describe('cookie options: safe defaults, unsafe combinations refused', () => {
  const remoteAt = (appUrl: string, cookie: Record<string, unknown>) =>
    createShareRemote({
      syncKey: key,
      appUrl,
      hostUrl: 'https://login.example.com',
      store: createMemoryStore(),
      cookie,
    } as never)

  it.each([
    [{ sameSite: 'strict' }, /sameSite must be "lax" or "none" \("strict" would drop the cookie/],
    [{ secure: false }, /cookie.secure cannot be false on an https appUrl/],
    [
      { domain: 'other.example' },
      /cookie.domain "other.example" is not app.example.com or a parent/,
    ],
    [{ domain: 'com' }, /single label/],
    [{ domain: '.example.com' }, /must be a lower-case host name/],
    [{ path: '/app' }, /cookie.path is not an option/],
  ])('refuses %j', async (cookie, message) => {
    expect(await configError(() => remoteAt('https://app.example.com', cookie))).toMatch(message)
  })

  it('refuses SameSite=None without Secure (http loopback)', async () => {
    expect(
      await configError(() => remoteAt('http://app.localhost:4001', { sameSite: 'none' })),
    ).toMatch(/sameSite "none" needs a Secure cookie/)
  })

  async function sessionCookieOf(appUrl: string, cookie: Record<string, unknown>) {
    const remote = remoteAt(appUrl, cookie)
    const host = await remote.engine.create({ userId: 'alice' })
    const linked = await remote.engine.link({
      hostSessionId: host.session.id,
      audience: remote.origin,
    })
    const outcome = await remote.handle(
      new Request(`${appUrl}/share/logout`, {
        method: 'POST',
        headers: { origin: remote.origin, cookie: `${remote.cookieName}=${linked.cookie}` },
      }),
    )
    if (outcome.type !== 'respond') throw new Error('expected a response')
    return { name: remote.cookieName, line: outcome.response.headers.getSetCookie()[0]! }
  }

  it('defaults: __Host-, host-only, Lax, Secure on https', async () => {
    const { name, line } = await sessionCookieOf('https://app.example.com', {})
    expect(name).toBe('__Host-share_session')
    expect(line).toBe('__Host-share_session=; Path=/; HttpOnly; SameSite=Lax; Secure; Max-Age=0')
  })

  it('a shared domain switches to __Secure- and sets Domain; SameSite=None when asked', async () => {
    const { name, line } = await sessionCookieOf('https://app.example.com', {
      domain: 'example.com',
      sameSite: 'none',
    })
    expect(name).toBe('__Secure-share_session')
    expect(line).toBe(
      '__Secure-share_session=; Path=/; HttpOnly; SameSite=None; Domain=example.com; Secure; Max-Age=0',
    )
  })
})
