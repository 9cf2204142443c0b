// A benchmark server for Bun or Deno: Hono + `shareRemote` on the memory store
// (PORT_SHARE), and beside it the floor any session middleware pays, a
// hand-written cookie→Map lookup (PORT_MINIMAL), and the same lookup sending
// `Cache-Control: no-store` on a signed-in page as Share does (PORT_MINIMAL_NO_STORE;
// issue 11 asks it of every session middleware), all answering `hello <user>` to
// a signed-in request and 401 otherwise, each on the port given to it (the
// others are not served). Prints one JSON line with the cookies the load
// generator sends; bench/run.ts starts it.
import { createMemoryStore, createShareRemote, generateSyncKey } from '@share/core'
import { shareRemote } from '@share/hono'
import { Hono } from 'hono'

const onDeno = typeof Deno !== 'undefined'
const env: Record<string, string | undefined> = onDeno ? Deno.env.toObject() : process.env
const USER_ID = 'bench'
const USER = { name: 'Bench User', roles: ['member'] }

function serve(port: number, fetch: (request: Request) => Response | Promise<Response>): void {
  const hostname = '127.0.0.1'
  if (onDeno) Deno.serve({ port, hostname, onListen() {} }, fetch)
  else Bun.serve({ port, hostname, fetch })
}

// Share: the remote's linked session as a redeemed hand-off leaves it.
const remote = createShareRemote({
  syncKey: generateSyncKey(),
  appUrl: 'http://app-bench.localhost:4501',
  hostUrl: 'http://idp.localhost:4500',
  store: createMemoryStore(),
})
const hostSession = await remote.engine.create({ userId: USER_ID, user: USER })
const linked = await remote.engine.link({
  hostSessionId: hostSession.session.id,
  audience: remote.origin,
})
const share = new Hono()
share.use(shareRemote(remote))
share.get('/', (c) => {
  const found = c.get('share')
  return found ? c.text(`hello ${found.userId}`) : c.text('unauthorized', 401)
})

// The minimal middleware: the first `sid` cookie, looked up in a Map.
interface MinimalSession {
  userId: string
  user: unknown
}
const sessions = new Map<string, MinimalSession>()
const sid = crypto.randomUUID()
sessions.set(sid, { userId: USER_ID, user: USER })
function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=')
    if (eq > 0 && pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim()
  }
  return undefined
}
function minimalApp(noStore: boolean) {
  const app = new Hono<{ Variables: { minimal: MinimalSession | null } }>()
  app.use(async (c, next) => {
    const id = cookieValue(c.req.header('cookie'), 'sid')
    const found = id === undefined ? null : (sessions.get(id) ?? null)
    c.set('minimal', found)
    await next()
    // After the handler, as shareRemote does on these runtimes: it holds for a raw Response too.
    if (noStore && found) c.res.headers.set('Cache-Control', 'no-store')
  })
  app.get('/', (c) => {
    const found = c.get('minimal')
    return found ? c.text(`hello ${found.userId}`) : c.text('unauthorized', 401)
  })
  return app
}
const minimal = minimalApp(false)
const minimalNoStore = minimalApp(true)

// Only the ports given: the bench runs each variant in a process of its own.
if (env.PORT_SHARE) serve(Number(env.PORT_SHARE), (request) => share.fetch(request))
if (env.PORT_MINIMAL) serve(Number(env.PORT_MINIMAL), (request) => minimal.fetch(request))
if (env.PORT_MINIMAL_NO_STORE) {
  serve(Number(env.PORT_MINIMAL_NO_STORE), (request) => minimalNoStore.fetch(request))
}
console.log(
  JSON.stringify({
    ready: true,
    share: `${remote.cookieName}=${linked.cookie}`,
    minimal: `sid=${sid}`,
  }),
)
