// The benchmark's Worker: the same tiny answer four ways, under one wrangler dev.
//   /bare        no session at all
//   /map         a hand-written cookie → Map lookup in isolate memory (the floor of any session)
//   /memory      @share/workers + createMemoryStore() (in this isolate)
//   /upstash     @share/workers + upstashStore (REST to the shim over Redis)
// `/__bench/session?store=memory|upstash|map` makes a signed-in cookie for the runner. Bench only.
import { createMemoryStore, createShareRemote, fromEnv, type ShareRemote } from '@share/core'
import { upstashStore } from '@share/store-upstash'
import { type ShareFetchHandler, withShare } from '@share/workers'

type Env = {
  SHARE_SYNC_KEY: string
  SHARE_APP_URL: string
  SHARE_HOST_URL: string
  UPSTASH_REDIS_REST_URL: string
  UPSTASH_REDIS_REST_TOKEN: string
  SHARE_STORE_PREFIX: string
}

let remotes: { memory: ShareRemote; upstash: ShareRemote } | undefined
const remotesFor = (env: Env) => {
  remotes ??= {
    memory: createShareRemote({ ...fromEnv(env, 'remote'), store: createMemoryStore() }),
    upstash: createShareRemote({
      ...fromEnv(env, 'remote'),
      store: upstashStore({
        url: env.UPSTASH_REDIS_REST_URL,
        token: env.UPSTASH_REDIS_REST_TOKEN,
        prefix: env.SHARE_STORE_PREFIX,
      }),
    }),
  }
  return remotes
}

const hello: ShareFetchHandler<Env> = (_request, _env, _ctx, { session }) =>
  new Response(session ? `hello ${session.userId}` : 'anon', { status: session ? 200 : 401 })
const onMemory = withShare(hello, (env: Env) => remotesFor(env).memory)
const onUpstash = withShare(hello, (env: Env) => remotesFor(env).upstash)

const mapSessions = new Map<string, { userId: string }>()
function onMap(request: Request): Response {
  const cookie = request.headers.get('cookie') ?? ''
  const id = /(?:^|;\s*)sid=([^;]+)/.exec(cookie)?.[1]
  const session = id === undefined ? undefined : mapSessions.get(id)
  return new Response(session ? `hello ${session.userId}` : 'anon', { status: session ? 200 : 401 })
}

async function newSession(store: string | null, env: Env): Promise<Response> {
  if (store === 'map') {
    const id = crypto.randomUUID()
    mapSessions.set(id, { userId: 'alice' })
    return new Response(`sid=${id}`)
  }
  const remote = store === 'upstash' ? remotesFor(env).upstash : remotesFor(env).memory
  const host = await remote.engine.create({ userId: 'alice' })
  const linked = await remote.engine.link({
    hostSessionId: host.session.id,
    audience: remote.origin,
  })
  return new Response(`${remote.cookieName}=${linked.cookie}`)
}

export default {
  fetch(request: Request, env: Env, ctx: { waitUntil(promise: Promise<unknown>): void }) {
    const url = new URL(request.url)
    switch (url.pathname) {
      case '/bare':
        return new Response('hello bench')
      case '/map':
        return onMap(request)
      case '/memory':
        return onMemory(request, env, ctx)
      case '/upstash':
        return onUpstash(request, env, ctx)
      case '/__bench/session':
        return newSession(url.searchParams.get('store'), env)
      default:
        return new Response('not found', { status: 404 })
    }
  },
}
