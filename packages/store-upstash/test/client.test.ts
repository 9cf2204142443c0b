import { createSessionEngine, generateSyncKey, isShareError } from '@share/core'
import { Redis as Upstash } from '@upstash/redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { upstashStore } from '../src/index.js'
import { startUpstashShim, type UpstashShim } from './shim/upstash-shim.js'

let shim: UpstashShim
const prefix = `share-upstash-client-${process.pid}-${Date.now()}:`

beforeAll(async () => {
  shim = await startUpstashShim()
})

afterAll(async () => {
  // Sessions made here expire within the test's lifetimes; delete what is left under our prefix.
  const cleaner = new Upstash({ url: shim.url, token: shim.token, enableTelemetry: false })
  for (const key of (await cleaner.keys(`${prefix}*`)) as string[]) await cleaner.del(key)
  await shim?.close()
})

async function engineWith(store: ReturnType<typeof upstashStore>) {
  return createSessionEngine({ syncKey: generateSyncKey(), store })
}

describe("upstashStore with the app's own client", () => {
  it('works with a default client whose automatic deserialization parses JSON', async () => {
    const client = new Upstash({ url: shim.url, token: shim.token, enableTelemetry: false })
    const engine = await engineWith(upstashStore({ client, prefix }))
    const { session, cookie } = await engine.create({ userId: 'alice', user: { n: 1, s: '42' } })
    const remote = await engine.link({
      hostSessionId: session.id,
      audience: 'https://a.example.com',
    })
    // Twice each: the second read is the conditional one, answered 1 while the copy is current.
    for (let i = 0; i < 2; i++) {
      expect(await engine.resolve(cookie)).toMatchObject({ ok: true, user: { n: 1, s: '42' } })
      expect((await engine.resolve(remote.cookie, { audience: 'https://a.example.com' })).ok).toBe(
        true,
      )
    }
    expect(await engine.list('alice')).toHaveLength(1)
    expect(await engine.revokeAll('alice')).toBe(2)
  })

  it('resolves in one HTTP request between touch intervals', async () => {
    const engine = await engineWith(upstashStore({ url: shim.url, token: shim.token, prefix }))
    const { cookie } = await engine.create({ userId: 'bob' })
    await engine.resolve(cookie) // loads the script
    const before = shim.requests
    for (let i = 0; i < 5; i++) {
      expect(await engine.resolve(cookie)).toMatchObject({ ok: true, userId: 'bob' })
    }
    expect(shim.requests - before).toBe(5)
  })
})

describe('a slow or unreachable Upstash', () => {
  it('fails with ERR_STORE_UNAVAILABLE at the deadline, never hangs or accepts', async () => {
    const engine = await engineWith(
      upstashStore({ url: shim.url, token: shim.token, prefix, commandTimeoutMs: 300 }),
    )
    const { cookie } = await engine.create({ userId: 'carol' })
    shim.pause()
    const started = Date.now()
    const error = await engine.resolve(cookie).catch((e: unknown) => e)
    shim.resume()
    expect(isShareError(error) && error.code).toBe('ERR_STORE_UNAVAILABLE')
    expect(Date.now() - started).toBeLessThan(2000)
  })

  it('fails with ERR_STORE_UNAVAILABLE for a wrong token (401), without echoing it', async () => {
    const engine = await engineWith(
      upstashStore({ url: shim.url, token: 'wrong-token-value', prefix }),
    )
    const error = await engine.create({ userId: 'dave' }).catch((e: unknown) => e)
    expect(isShareError(error) && error.code).toBe('ERR_STORE_UNAVAILABLE')
    expect(`${String(error)} ${String((error as Error).cause)}`).not.toContain('wrong-token-value')
  })

  it('fails with ERR_STORE_UNAVAILABLE when nothing listens', async () => {
    const engine = await engineWith(
      upstashStore({ url: 'http://127.0.0.1:9', token: 't', prefix, commandTimeoutMs: 1000 }),
    )
    const error = await engine.create({ userId: 'erin' }).catch((e: unknown) => e)
    expect(isShareError(error) && error.code).toBe('ERR_STORE_UNAVAILABLE')
  })
})
