// A remote app on Hono. Its store is the host's: one Redis, one key prefix, one sync key.
import { serve } from '@hono/node-server'
import { createShareRemote, fromEnv } from '@share/core'
import { requireSession, shareRemote } from '@share/hono'
import { redisStore } from '@share/store-redis'
import { Hono } from 'hono'
import { Redis } from 'ioredis'

// SHARE_SYNC_KEY, SHARE_APP_URL (this app), SHARE_HOST_URL (the host), REDIS_URL.
const client = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
  enableOfflineQueue: false, // fail fast (503) while Redis is away, instead of queueing
  maxRetriesPerRequest: 1,
})
const store = redisStore({ client, prefix: process.env.SHARE_STORE_PREFIX ?? 'share:' })
const remote = createShareRemote({ ...fromEnv(process.env, 'remote'), store })

const app = new Hono()
app.use(shareRemote(remote)) // serves /share/login, /share/callback, /share/logout
app.get('/', requireSession(remote), (c) => c.text(`Hello ${c.var.share?.userId}`))
app.get('/maybe', (c) => c.text(c.var.share ? 'signed in' : 'anonymous')) // works while Redis is down
// An API route: a fetch without a session gets 401 JSON instead of the sign-in redirect.
app.get('/api/me', requireSession(remote), (c) => c.json({ user: c.var.share?.user }))
// A guard on the session: a signed-in user the predicate refuses gets 403.
const admins = requireSession(remote, { where: (s) => s.userId === 'admin' })
app.get('/admin', admins, (c) => c.text('admin area'))

export const server = serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 4001) })
export { client, remote }
