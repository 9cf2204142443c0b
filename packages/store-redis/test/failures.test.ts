import { createSessionEngine, generateSyncKey, isShareError } from '@share/core'
import { Redis } from 'ioredis'
import { afterEach, describe, expect, it } from 'vitest'
import { redisStore } from '../src/index.js'
import { startServer, type TestServer } from './servers.js'

// Servers of our own, frozen or killed on purpose.
let server: TestServer | undefined
let client: Redis | undefined

afterEach(async () => {
  client?.disconnect()
  await server?.stop()
  server = undefined
  client = undefined
})

async function engineOn(timeoutMs: number) {
  server = await startServer()
  client = new Redis(server.url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: () => 100,
  })
  client.on('error', () => {}) // the outage is the point of these tests
  await new Promise((resolve) => client!.once('ready', resolve))
  const store = redisStore({ client, commandTimeoutMs: timeoutMs })
  const engine = createSessionEngine({ syncKey: generateSyncKey(), store })
  const { cookie } = await engine.create({ userId: 'alice' })
  return { engine, cookie, store }
}

async function failure(promise: Promise<unknown>): Promise<{ code: string; ms: number }> {
  const started = Date.now()
  try {
    await promise
  } catch (error) {
    if (isShareError(error)) return { code: error.code, ms: Date.now() - started }
    throw error
  }
  throw new Error('the call succeeded while the store was out')
}

describe('store down or slow: fail closed, never hang', () => {
  it('a frozen server (SIGSTOP) fails each call with ERR_STORE_UNAVAILABLE at the deadline', async () => {
    const { engine, cookie, store } = await engineOn(300)
    server!.process.kill('SIGSTOP')
    const resolve = await failure(engine.resolve(cookie))
    expect(resolve.code).toBe('ERR_STORE_UNAVAILABLE')
    expect(resolve.ms).toBeLessThan(2000)
    expect((await failure(store.setIfAbsent('n', 60))).code).toBe('ERR_STORE_UNAVAILABLE')
  })

  it('a killed server fails calls with ERR_STORE_UNAVAILABLE, and recovers when it is back', async () => {
    const { engine, cookie } = await engineOn(500)
    server!.process.kill('SIGKILL')
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect((await failure(engine.resolve(cookie))).code).toBe('ERR_STORE_UNAVAILABLE')
    expect((await failure(engine.create({ userId: 'bob' }))).code).toBe('ERR_STORE_UNAVAILABLE')
    await server!.restart()
    if (client!.status !== 'ready') await new Promise((resolve) => client!.once('ready', resolve))
    // The new server is empty: the session is gone (a clean "not found"), and sign-in works again.
    expect(await engine.resolve(cookie)).toEqual({ ok: false, reason: 'not-found' })
    expect((await engine.create({ userId: 'bob' })).session.userId).toBe('bob')
  })

  it('a store error never carries a session id in its message or cause', async () => {
    const { engine, cookie } = await engineOn(300)
    server!.process.kill('SIGSTOP')
    const error = await engine.resolve(cookie).catch((e: unknown) => e)
    const text = `${String(error)} ${JSON.stringify(error)} ${String((error as Error).cause)}`
    expect(text).not.toContain(cookie.slice(0, 49))
  })
})
