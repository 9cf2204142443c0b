// Bad settings stop an entry at start-up, with a message that names the
// problem and never repeats the key.
import { describe, expect, it } from 'vitest'
import { assertBuilt, type Runtime, startServer } from './runtimes.ts'

const RUNTIMES: Runtime[] = ['bun', 'deno']
const BASE = {
  SHARE_HOST_URL: 'http://idp.localhost:4580',
  SHARE_APP_URL: 'http://app-bun.localhost:4581',
  PORT: '4581',
}

/** The entry's output when it fails to start (the test fails if it starts). */
async function failure(runtime: Runtime, settings: Record<string, string>): Promise<string> {
  assertBuilt()
  const started = await startServer(`remote:${runtime}`, { ...BASE, ...settings }).then(
    async (server) => {
      await server.stop()
      return 'started'
    },
    (error: Error) => error.message,
  )
  expect(started).not.toBe('started')
  return started
}

describe.each(RUNTIMES)('remote:%s refuses to start', (runtime) => {
  it('with a malformed sync key, without printing it', async () => {
    const key = 'share_sk1_not-a-real-key-but-secret-looking-9f8e7d'
    // A store URL with nothing behind it: the key is checked before Redis is dialled.
    const output = await failure(runtime, {
      SHARE_SYNC_KEY: key,
      SHARE_STORE_URL: 'redis://127.0.0.1:4598',
    })
    expect(output).toMatch(/ERR_KEY_INVALID|ERR_CONFIG_INVALID/)
    expect(output).not.toContain('not-a-real-key-but-secret-looking')
  })

  it('with a store URL that is not redis://', async () => {
    const output = await failure(runtime, {
      SHARE_SYNC_KEY: 'share_sk1_AAcOFRwjKjE4P0ZNVFtiaXB3foWMk5qhqK-2vcTL0tk',
      SHARE_STORE_URL: 'http://127.0.0.1:4599/?password=hunter2',
    })
    expect(output).toContain('SHARE_STORE_URL must be a redis:// URL')
    expect(output).not.toContain('hunter2')
  })

  it('without a store URL: a remote alone cannot share a memory store', async () => {
    const output = await failure(runtime, {
      SHARE_SYNC_KEY: 'share_sk1_AAcOFRwjKjE4P0ZNVFtiaXB3foWMk5qhqK-2vcTL0tk',
    })
    expect(output).toContain('SHARE_STORE_URL is not set')
  })

  it('without SHARE_SYNC_KEY, naming the variable', async () => {
    const output = await failure(runtime, { SHARE_STORE_URL: 'redis://127.0.0.1:4598' })
    expect(output).toContain('SHARE_SYNC_KEY is not set')
  })
})
