// The shared scenario table, through @share/next in Node, with Next's own NextRequest and
// NextResponse: a small stand-in for Next's router runs the middleware, then the "page",
// and merges the middleware's headers into the page's response as Next does. The same
// middleware runs in the real `next start` in examples/next-remote.
import { runAdapterScenarios } from '@share/test-utils'
import { NextRequest } from 'next/server'
import {
  createShareNext,
  type ShareHandler,
  type ShareNext,
  shareRouteHandlers,
} from '../src/index.js'

type Page = (request: Request) => Promise<Response>

function nextApp<H extends ShareHandler>(
  share: ShareNext<H>,
  page: Page,
  skipMiddleware: (path: string) => boolean = () => false,
): Page {
  return async (original) => {
    if (skipMiddleware(new URL(original.url).pathname)) return page(original)
    // The page gets the same request object (its body moved into the NextRequest).
    const request = new NextRequest(original)
    const waits: Promise<unknown>[] = []
    const response = await share.middleware(request, {
      waitUntil: (promise) => void waits.push(promise),
    })
    await Promise.all(waits)
    if (response.headers.get('x-middleware-next') !== '1') return relative(response, original.url)
    const answer = await page(request)
    const merged = new Response(answer.body, answer)
    for (const [name, value] of response.headers) {
      if (name.startsWith('x-middleware-') || name === 'set-cookie') continue
      merged.headers.set(name, value)
    }
    for (const cookie of response.headers.getSetCookie())
      merged.headers.append('set-cookie', cookie)
    return merged
  }
}

/**
 * Next refuses a relative Location from middleware, so @share/next sends core's `/path`
 * redirects as absolute same-origin URLs (what `next start` sends is checked in
 * examples/next-remote). The table compares the relative form: turn it back, same origin only.
 */
function relative(response: Response, url: string): Response {
  const location = response.headers.get('location')
  const { origin } = new URL(url)
  if (location?.startsWith(`${origin}/`)) {
    response.headers.set('location', location.slice(origin.length))
  }
  return response
}

runAdapterScenarios(
  'next',
  async ({ host, remote }) => {
    const onlyAdmin = { where: (session: { userId: string }) => session.userId === 'admin' }
    const remoteShare = createShareNext(remote, {
      protect: ['/private', { path: '/admin', ...onlyAdmin }],
    })
    const remoteApp = nextApp(remoteShare, async (request) => {
      const session = await remoteShare.getSession(request)
      const path = new URL(request.url).pathname
      if (path === '/private') return new Response(`hello ${session?.userId}`)
      if (path === '/public') return new Response(session ? `hi ${session.userId}` : 'anon')
      if (path === '/admin') return new Response('admin')
      return new Response('Not found', { status: 404 })
    })

    // The host: its Share endpoints in a Route Handler (app/share/[...share]/route.ts), which
    // the middleware's matcher leaves out; the middleware reads the session everywhere else.
    const hostShare = createShareNext(() => host)
    const routes = shareRouteHandlers(hostShare)
    const hostApp = nextApp(
      hostShare,
      async (request) => {
        const path = new URL(request.url).pathname
        if (path.startsWith('/share/'))
          return request.method === 'POST' ? routes.POST(request) : routes.GET(request)
        if (path === '/login' && request.method === 'GET') return new Response('<form></form>')
        if (path === '/login') {
          const form = await request.formData()
          return host.signIn(request, { userId: 'alice', next: String(form.get('next') ?? '') })
        }
        if (path === '/whoami') {
          const session = await hostShare.getSession(request)
          return new Response(session?.userId ?? 'anon')
        }
        return new Response('Not found', { status: 404 })
      },
      (path) => path.startsWith('/share/'),
    )
    return { host: hostApp, remote: remoteApp, close: async () => {} }
  },
  { guards: true },
)
