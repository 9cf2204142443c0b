// The host on Express: its own login form; Share adds the hand-off, logout and the devices page.
import { createShareHost, fromEnv } from '@share/core'
import { sendWebResponse, shareHost, toShareRequest } from '@share/express'
import { redisStore } from '@share/store-redis'
import express from 'express'
import { Redis } from 'ioredis'

// SHARE_SYNC_KEY, SHARE_APP_URL (the host), SHARE_KNOWN_REMOTES (comma-separated origins), REDIS_URL.
const client = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
})
const store = redisStore({ client, prefix: process.env.SHARE_STORE_PREFIX ?? 'share:' })
// sessionsPage: Share serves the devices page (revoke, sign out others, log out everywhere).
const host = createShareHost({ ...fromEnv(process.env, 'host'), store, sessionsPage: true })

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
const loginForm = (
  next: string,
  error = '',
) => `<!doctype html><title>Sign in</title><p>${error}</p>
<form method="post" action="/login"><input type="hidden" name="next" value="${escapeHtml(next)}">
<input name="username" autocomplete="username"><input name="password" type="password">
<button>Sign in</button></form>`

const app = express()
app.use(shareHost(host)) // serves /share/authorize, /share/logout, /share/sessions/*, /sessions
app.get('/login', (req, res) => {
  res.send(loginForm(typeof req.query.next === 'string' ? req.query.next : '/'))
})
app.post('/login', express.urlencoded({ extended: false }), (req, res, next) => {
  const { username, password } = req.body as Record<string, string | undefined>
  const back = req.body?.next ?? '/'
  // Your own user check; Share never sees a password.
  if (username !== 'alice' || password !== 'alice') {
    res.status(401).send(loginForm(back, 'Wrong username or password'))
    return
  }
  host
    .signIn(toShareRequest(req, host.origin), {
      userId: 'alice',
      user: { name: 'Alice' },
      next: back,
    })
    .then((response) => sendWebResponse(res, response))
    .catch(next)
})

export const server = app.listen(Number(process.env.PORT ?? 4000))
export { client, host }
