// The benchmark's middleware slot (edge middleware.ts here, Node proxy.ts in bench-node/),
// three ways, chosen per request by the `x-bench-mode` header, so one server measures all
// three in turns: `share` (@share/next on
// the memory store), `pass-through` (one cookie and a Map) and `iron` (iron-session). Each
// answers an unauthenticated request with a 401, so wrk's non-2xx count shows that every
// measured request was an authenticated one.
import { createMemoryStore, createShareRemote, fromEnv } from '@share/core'
import { createShareNext } from '@share/next'
import { getIronSession, sealData } from 'iron-session'
import { type NextFetchEvent, type NextRequest, NextResponse } from 'next/server'

interface User {
  userId?: string
}

const iron = { password: process.env.BENCH_IRON_PASSWORD ?? '', cookieName: 'iron' }
const sessions = new Map<string, User>()
// Protects every path: no session → the sign-in redirect, turned into a 401 below (wrk does
// not count a 302 as a failure).
const share = createShareNext(
  () => createShareRemote({ ...fromEnv(process.env, 'remote'), store: createMemoryStore() }),
  { protect: ['/'] },
)

export async function benchSlot(request: NextRequest, event?: NextFetchEvent): Promise<Response> {
  const mode = request.headers.get('x-bench-mode')
  if (request.nextUrl.pathname === '/bench/seed') return seed(mode)
  if (mode === 'share') {
    const response = await share.middleware(request, event)
    return response.headers.get('x-middleware-next')
      ? response
      : new Response(null, { status: 401 })
  }
  if (mode === 'iron') {
    const session = await getIronSession<User>(request.cookies as never, iron)
    return session.userId ? NextResponse.next() : new Response(null, { status: 401 })
  }
  if (mode !== 'pass-through') return new Response(null, { status: 400 })
  const id = request.cookies.get('sid')?.value
  return id && sessions.get(id)?.userId ? NextResponse.next() : new Response(null, { status: 401 })
}

/** A signed-in user's cookie, as `name=value`, made inside this isolate. */
async function seed(mode: string | null): Promise<Response> {
  if (mode === 'share') {
    const remote = share.handler()
    const host = await remote.engine.create({ userId: 'alice', user: { name: 'Alice' } })
    const linked = await remote.engine.link({
      hostSessionId: host.session.id,
      audience: remote.origin,
    })
    return new Response(`${remote.cookieName}=${linked.cookie}`)
  }
  if (mode === 'iron') {
    return new Response(`${iron.cookieName}=${await sealData({ userId: 'alice' }, iron)}`)
  }
  if (mode !== 'pass-through') return new Response(null, { status: 400 })
  const id = crypto.randomUUID()
  sessions.set(id, { userId: 'alice' })
  return new Response(`sid=${id}`)
}
