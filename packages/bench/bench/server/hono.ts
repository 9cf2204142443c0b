import type { Server } from 'node:http'
import { type HttpBindings, serve } from '@hono/node-server'
import { requireSession, shareRemote } from '@share/hono'
import { Hono } from 'hono'
import { Redis } from 'ioredis'
import { getIronSession } from 'iron-session'
import { cookieValue, MINIMAL_SID, type MinimalSession, minimalLookup } from './lookups.ts'
import { betterAuthSignUp, createBenchAuth, IRON_OPTIONS, type IronData } from './peers.ts'
import { type Setup, USER, USER_ID } from './setup.ts'
import { shareRemoteWithSession } from './share.ts'

type App = Hono<{
  Bindings: HttpBindings
  Variables: { minimal: MinimalSession | null; peerUserId: string | null }
}>

/** The Hono app of one setup; `login` is its own sign-in (iron-session) when the cookie comes from one. */
export async function honoApp(
  setup: Setup,
  redisUrl: string,
  prefix: string,
): Promise<{ app: App; cookie: string | null; expected?: string; login?: true }> {
  const app: App = new Hono()
  if (setup.kind === 'bare') {
    app.get('/', (c) => c.text('hello'))
    return { app, cookie: null, expected: 'hello' }
  }
  if (setup.kind === 'minimal') {
    const lookup = await minimalLookup(setup.store, redisUrl, prefix)
    const { noStore } = setup
    app.use(async (c, next) => {
      const sid = cookieValue(c.req.header('cookie'), 'sid')
      const found = sid === undefined ? null : lookup(sid)
      const session = found instanceof Promise ? await found : found
      c.set('minimal', session)
      // The cheapest way there is on @hono/node-server: onto Node's response, as shareRemote does.
      if (noStore && session) c.env.outgoing.setHeader('Cache-Control', 'no-store')
      await next()
    })
    app.get('/', (c) => {
      const found = c.get('minimal')
      return found ? c.text(`hello ${found.userId}`) : c.text('unauthorized', 401)
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
    app.use(shareRemote(remote))
    if (setup.guard) {
      app.get('/', requireSession(remote), (c) => c.text(`hello ${c.get('share')!.userId}`))
    } else {
      // The same handler shape as the minimal middleware's: middleware is compared with middleware.
      app.get('/', (c) => {
        // c.get, as the minimal variant's handler does (c.var rebuilds an object per access).
        const found = c.get('share')
        return found ? c.text(`hello ${found.userId}`) : c.text('unauthorized', 401)
      })
    }
    return { app, cookie }
  }
  if (setup.kind === 'better-auth') {
    const auth = createBenchAuth(
      new Redis(redisUrl),
      prefix,
      setup.cookieCache,
      setup.cookieCacheMaxAge,
    )
    const { userId, cookie } = await betterAuthSignUp(auth, setup.cookieCache)
    // The middleware shape of the others: it finds the session, the handler answers 401 without.
    // auth.api.getSession on the request's headers, as better-auth's Hono integration does.
    app.use(async (c, next) => {
      const found = await auth.api.getSession({ headers: c.req.raw.headers })
      c.set('peerUserId', found?.user.id ?? null)
      await next()
    })
    app.get('/', (c) => {
      const id = c.get('peerUserId')
      return id ? c.text(`hello ${id}`) : c.text('unauthorized', 401)
    })
    return { app, cookie, expected: `hello ${userId}` }
  }
  if (setup.kind === 'iron-session') {
    // getIronSession on Hono's Fetch API pair, c.req.raw and c.res (iron-session 8 takes a
    // Request and a Response), rather than unsealData on the cookie: that is how a Hono user gets
    // a session that can also save(). Touching c.res before the handler has its price in Hono
    // (the handler's Response is copied to merge c.res's headers into it); this row pays it.
    app.use(async (c, next) => {
      const session = await getIronSession<IronData>(c.req.raw, c.res, IRON_OPTIONS)
      c.set('peerUserId', session.userId ?? null)
      await next()
    })
    app.post('/login', async (c) => {
      const session = await getIronSession<IronData>(c.req.raw, c.res, IRON_OPTIONS)
      session.userId = USER_ID
      session.user = USER
      await session.save()
      return c.text('signed in')
    })
    app.get('/', (c) => {
      const id = c.get('peerUserId')
      return id ? c.text(`hello ${id}`) : c.text('unauthorized', 401)
    })
    return { app, cookie: null, login: true }
  }
  throw new Error(`no Hono server for ${setup.kind}`)
}

export function listenHono(app: App): Promise<Server> {
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
      resolve(server as Server),
    ) as Server
  })
}
