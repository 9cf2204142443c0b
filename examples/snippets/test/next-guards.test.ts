// The Next snippet's per-path guards, through Next's own NextRequest, on the real Redis.
import { generateSyncKey } from '@share/core'
import { NextRequest } from 'next/server'
import { afterAll, beforeAll, expect, it } from 'vitest'

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
const APP = 'http://app-next.localhost:4697'
const prefix = `snippets-next-${crypto.randomUUID().slice(0, 8)}:`
let mod: typeof import('../src/next-guards.ts')

beforeAll(async () => {
  // The remote reads its environment when first made: keep it set until then.
  const saved = { ...process.env }
  Object.assign(process.env, {
    SHARE_SYNC_KEY: generateSyncKey(),
    SHARE_APP_URL: APP,
    SHARE_HOST_URL: 'http://host.localhost:4695',
    SHARE_STORE_PREFIX: prefix,
    REDIS_URL,
  })
  try {
    mod = await import('../src/next-guards.ts')
    mod.share.handler()
  } finally {
    process.env = saved
  }
  // The snippet's client queues nothing while it connects: wait until it is ready.
  if (mod.client.status !== 'ready') await new Promise((ready) => mod.client.once('ready', ready))
})

afterAll(async () => {
  const keys = await mod.client.keys(`${prefix}*`) // only this run's prefix
  if (keys.length > 0) await mod.client.del(...keys)
  mod.client.disconnect()
})

/** A session cookie for `userId`: a host session and this app's session linked to it. */
async function cookieOf(userId: string): Promise<string> {
  const remote = mod.share.handler()
  const host = await remote.engine.create({ userId })
  const { cookie } = await remote.engine.link({
    hostSessionId: host.session.id,
    audience: remote.origin,
  })
  return `${remote.cookieName}=${cookie}`
}

async function visit(path: string, headers: Record<string, string> = {}) {
  const response = await mod.share.middleware(new NextRequest(`${APP}${path}`, { headers }))
  return response.headers.get('x-middleware-next') === '1' ? 'page' : response.status
}

it('sends anonymous pages to sign in, and answers API calls 401', async () => {
  expect(await visit('/')).toBe('page')
  expect(await visit('/account')).toBe(302)
  expect(await visit('/account', { accept: 'application/json' })).toBe(401)
  expect(await visit('/api/me')).toBe(401)
  expect(await visit('/admin')).toBe(302)
})

it('lets a session into /account and /api, and only the admin into /admin', async () => {
  const alice = { cookie: await cookieOf('alice') }
  expect(await visit('/account', alice)).toBe('page')
  expect(await visit('/api/me', alice)).toBe('page')
  expect(await visit('/admin', alice)).toBe(403)
  expect(await visit('/ADMIN/', alice)).toBe(403)
  expect(await visit('/_next/data/build-1/admin.json', alice)).toBe(403)
  expect(await visit('/admin', { cookie: await cookieOf('admin') })).toBe('page')
})
