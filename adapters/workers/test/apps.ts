// The host and remote Workers the workerd tests drive: both wrapped by withShare, the host's
// login form signing in `alice`, the remote's /private behind requireSession.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import type { ShareHost, ShareRemote } from '@share/core'
import { requireSession, type WorkerFetch, withShare } from '../src/index.js'

export function remoteWorker<Env>(
  setup: (env: Env) => ShareRemote,
): WorkerFetch<Env, ExecutionContext> {
  const privatePage = requireSession<Env, ShareRemote, ExecutionContext>(
    async (_request, _env, _ctx, { session }) => new Response(`hello ${session?.userId}`),
  )
  const adminPage = requireSession<Env, ShareRemote, ExecutionContext>(
    async () => new Response('admin'),
    { where: (session) => session.userId === 'admin' },
  )
  return withShare<Env, ShareRemote, ExecutionContext>(async (request, env, ctx, context) => {
    const { pathname } = new URL(request.url)
    if (pathname === '/private') return privatePage(request, env, ctx, context)
    if (pathname === '/admin') return adminPage(request, env, ctx, context)
    if (pathname === '/public') {
      return new Response(context.session ? `hi ${context.session.userId}` : 'anon')
    }
    return new Response('not found', { status: 404 })
  }, setup)
}

export function hostWorker<Env>(
  setup: (env: Env) => ShareHost,
): WorkerFetch<Env, ExecutionContext> {
  return withShare<Env, ShareHost, ExecutionContext>(
    async (request, _env, _ctx, { session, share }) => {
      const { pathname } = new URL(request.url)
      if (pathname === '/login' && request.method === 'POST') {
        const form = await request.formData()
        return share.signIn(request, { userId: 'alice', next: String(form.get('next') ?? '') })
      }
      if (pathname === '/login') return new Response('<form method="post"></form>')
      return new Response(session?.userId ?? 'anon')
    },
    setup,
  )
}

/** Calls a Worker as the runtime would, then waits for what it passed to ctx.waitUntil. */
export function asFetch<Env>(worker: WorkerFetch<Env, ExecutionContext>, env: Env) {
  return async (request: Request): Promise<Response> => {
    const ctx = createExecutionContext()
    const response = await worker(request, env, ctx)
    await waitOnExecutionContext(ctx)
    return response
  }
}
