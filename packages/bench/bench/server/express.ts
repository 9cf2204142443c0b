import type { Server } from 'node:http'
import {
  requireSession as expressRequireSession,
  shareRemote as expressShareRemote,
} from '@share/express'
import { RedisStore } from 'connect-redis'
import express from 'express'
import session from 'express-session'
import { createClient } from 'redis'
import { cookieValue, MINIMAL_SID, type MinimalSession, minimalLookup } from './lookups.ts'
import { type Setup, USER, USER_ID } from './setup.ts'
import { shareRemoteWithSession } from './share.ts'

declare module 'express-session' {
  interface SessionData {
    user: MinimalSession
  }
}

/** The Express app of one setup; `login` is its own sign-in (express-session). */
export async function expressApp(
  setup: Setup,
  redisUrl: string,
  prefix: string,
): Promise<{ app: express.Express; cookie: string | null; expected?: string; login?: true }> {
  const app = express()
  if (setup.kind === 'bare') {
    app.get('/', (_req, res) => {
      res.send('hello')
    })
    return { app, cookie: null, expected: 'hello' }
  }
  if (setup.kind === 'minimal') {
    const lookup = await minimalLookup(setup.store, redisUrl, prefix)
    const { noStore } = setup
    app.use((req, res, next) => {
      const sid = cookieValue(req.headers.cookie, 'sid')
      const found = sid === undefined ? null : lookup(sid)
      if (!(found instanceof Promise)) {
        res.locals.minimal = found
        if (noStore && found) res.setHeader('Cache-Control', 'no-store')
        return next()
      }
      found.then((value) => {
        res.locals.minimal = value
        if (noStore && value) res.setHeader('Cache-Control', 'no-store')
        next()
      }, next)
    })
    app.get('/', (_req, res) => {
      const found = res.locals.minimal as MinimalSession | null
      if (found) res.send(`hello ${found.userId}`)
      else res.status(401).send('unauthorized')
    })
    return { app, cookie: `sid=${MINIMAL_SID}` }
  }
  if (setup.kind === 'share') {
    const { remote, cookie } = await shareRemoteWithSession(
      setup.store,
      redisUrl,
      prefix,
      setup.touchIntervalSec,
    )
    app.use(expressShareRemote(remote))
    if (setup.guard) {
      app.get('/', expressRequireSession(remote), (req, res) => {
        res.send(`hello ${req.share!.userId}`)
      })
    } else {
      app.get('/', (req, res) => {
        if (req.share) res.send(`hello ${req.share.userId}`)
        else res.status(401).send('unauthorized')
      })
    }
    return { app, cookie }
  }
  if (setup.kind === 'express-session') {
    const client = createClient({ url: redisUrl })
    await client.connect()
    app.use(
      session({
        store: new RedisStore({ client, prefix: `${prefix}es:` }),
        secret: 'a-session-secret-for-the-benchmark-only',
        resave: false,
        saveUninitialized: false,
        cookie: { maxAge: 43_200_000, httpOnly: true, sameSite: 'lax' },
      }),
    )
    app.post('/login', (req, res) => {
      req.session.user = { userId: USER_ID, user: USER }
      res.send('signed in')
    })
    app.get('/', (req, res) => {
      const found = req.session.user
      if (found) res.send(`hello ${found.userId}`)
      else res.status(401).send('unauthorized')
    })
    return { app, cookie: null, login: true }
  }
  throw new Error(`no Express server for ${setup.kind}`)
}

export function listenExpress(app: express.Express): Promise<Server> {
  return new Promise((resolve) => {
    const server: Server = app.listen(0, '127.0.0.1', () => resolve(server))
  })
}
