// The host on Hono: its own login form; Share adds the hand-off, logout and session management.
import { serve } from '@hono/node-server'
import { createShareHost, fromEnv } from '@share/core'
import { requireSession, shareHost } from '@share/hono'
import { redisStore } from '@share/store-redis'
import { Hono } from 'hono'
import { html } from 'hono/html'
import { Redis } from 'ioredis'

// SHARE_SYNC_KEY, SHARE_APP_URL (the host), SHARE_KNOWN_REMOTES (comma-separated origins), REDIS_URL.
const client = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
})
const store = redisStore({ client, prefix: process.env.SHARE_STORE_PREFIX ?? 'share:' })
const host = createShareHost({ ...fromEnv(process.env, 'host'), store })

/** Your own user check; here, one demo user. Share never sees a password. */
async function checkPassword(username: unknown, password: unknown) {
  return username === 'alice' && password === 'alice' ? { id: 'alice', name: 'Alice' } : null
}

const loginForm = (next: string, error = '') => html`<!doctype html><title>Sign in</title>
  <p>${error}</p>
  <form method="post" action="/login">
    <input type="hidden" name="next" value="${next}" />
    <input name="username" autocomplete="username" />
    <input name="password" type="password" autocomplete="current-password" />
    <button>Sign in</button>
  </form>`

const app = new Hono()
app.use(shareHost(host)) // serves /share/authorize, /share/logout, /share/sessions/*
app.get('/login', (c) => c.html(loginForm(c.req.query('next') ?? '/')))
app.post('/login', async (c) => {
  const form = await c.req.parseBody()
  const next = typeof form.next === 'string' ? form.next : '/'
  const user = await checkPassword(form.username, form.password)
  if (!user) return c.html(loginForm(next, 'Wrong username or password'), 401)
  // Creates the host session, sets its cookie, resumes the hand-off at `next`.
  return host.signIn(c.req.raw, { userId: user.id, user: { name: user.name }, next })
})
app.get('/sessions', requireSession(host), async (c) =>
  c.json(await host.listSessions(c.var.share!)),
)
// "Log out everywhere" is a form POST (a link would be a GET, and 405).
app.get('/', (c) =>
  c.html(
    html`<form method="post" action="${host.paths.revokeAll}"><button>Log out everywhere</button></form>`,
  ),
)

export const server = serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 4000) })
export { client, host }
