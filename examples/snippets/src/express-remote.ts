// A remote app on Express 5 (or 4). Its store is the host's: one Redis, one key prefix, one key.
import { createShareRemote, fromEnv } from '@share/core'
import { requireSession, shareRemote } from '@share/express'
import { redisStore } from '@share/store-redis'
import express from 'express'
import { Redis } from 'ioredis'

// SHARE_SYNC_KEY, SHARE_APP_URL (this app), SHARE_HOST_URL (the host), REDIS_URL.
const client = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
})
const store = redisStore({ client, prefix: process.env.SHARE_STORE_PREFIX ?? 'share:' })
const remote = createShareRemote({ ...fromEnv(process.env, 'remote'), store })

const app = express()
app.use(shareRemote(remote)) // serves /share/login, /share/callback, /share/logout
app.get('/', requireSession(remote), (req, res) => {
  res.send(`Hello ${req.share?.userId}
<form method="post" action="${remote.paths.logout}">
  <input type="hidden" name="everywhere" value="1"><button>Log out everywhere</button>
</form>`)
})

export const server = app.listen(Number(process.env.PORT ?? 4002))
export { client, remote }
