import { createMemoryStore, createShareRemote, generateSyncKey } from '@share/core'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { shareRemote } from '../src/index.js'

const APP = 'http://app-a.localhost:4001'

/** A remote whose every request is due a touch (touch interval 0), and a signed-in cookie. */
async function setup() {
  let now = Date.UTC(2030, 0, 1)
  const store = createMemoryStore({ now: () => now })
  const remote = createShareRemote({
    syncKey: generateSyncKey(),
    appUrl: APP,
    hostUrl: 'http://idp.localhost:4000',
    store,
    now: () => now,
    session: { touchIntervalSec: 0 },
  })
  const host = await remote.engine.create({ userId: 'alice' })
  const linked = await remote.engine.link({ hostSessionId: host.session.id, audience: APP })
  const app = new Hono()
  app.use(shareRemote(remote))
  app.get('/', (c) => c.text(`hello ${c.get('share')?.userId}`))
  const request = () =>
    new Request(`${APP}/`, { headers: { cookie: `share_session=${linked.cookie}` } })
  const lastSeen = async () => (await store.get(host.session.id))?.lastSeenAt
  return { app, request, lastSeen, advance: (ms: number) => (now += ms), start: now }
}

describe('the touch write (pending)', () => {
  it('goes to executionCtx.waitUntil where the runtime gives one, off the response path', async () => {
    const { app, request, lastSeen, advance, start } = await setup()
    advance(5_000)
    const handed: Promise<unknown>[] = []
    const executionCtx = {
      waitUntil: (p: Promise<unknown>) => void handed.push(p),
      passThroughOnException() {},
      props: {},
    }
    const response = await app.fetch(request(), {}, executionCtx)
    expect(await response.text()).toBe('hello alice')
    expect(handed).toHaveLength(1)
    await Promise.all(handed)
    expect(await lastSeen()).toBe(start + 5_000)
  })

  it('is awaited before the response where there is none (Node)', async () => {
    const { app, request, lastSeen, advance, start } = await setup()
    advance(7_000)
    const response = await app.fetch(request())
    expect(response.status).toBe(200)
    expect(await lastSeen()).toBe(start + 7_000)
  })
})
