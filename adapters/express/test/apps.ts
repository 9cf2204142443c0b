import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { ShareHost, ShareRemote } from '@share/core'
import type { AdapterApps, Fetch } from '@share/test-utils'
import {
  requireSession,
  sendWebResponse,
  shareHost,
  shareRemote,
  toShareRequest,
} from '../src/index.js'

/** The Express surface the scenario apps use; Express 4 and 5 both provide it. */
interface ExpressLike {
  (): ExpressApp
  urlencoded(options: { extended: boolean }): unknown
}
interface ExpressApp {
  use(...handlers: unknown[]): void
  get(path: string, ...handlers: unknown[]): void
  post(path: string, ...handlers: unknown[]): void
  listen(port: number, host: string, callback: () => void): Server
}
type Req = { share?: { userId: string } | null; body?: Record<string, string> }
type Res = { send(body: string): void; type(kind: string): Res }

/** Serves an app on an ephemeral loopback port; `fetch` sends a Request there, redirects unfollowed. */
async function serve(app: ExpressApp): Promise<{ fetch: Fetch; close(): Promise<void> }> {
  const server = await new Promise<Server>((resolve) => {
    const listening: Server = app.listen(0, '127.0.0.1', () => resolve(listening))
  })
  const { port } = server.address() as AddressInfo
  return {
    fetch: async (request) => {
      const url = new URL(request.url)
      const body =
        request.method === 'GET' || request.method === 'HEAD' ? null : await request.arrayBuffer()
      return fetch(`http://127.0.0.1:${port}${url.pathname}${url.search}`, {
        method: request.method,
        headers: request.headers,
        body,
        redirect: 'manual',
      })
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

/** The scenario apps on a given Express (5, or 4 under the `express4` alias). */
export function buildApps(express: ExpressLike) {
  return async ({
    host,
    remote,
  }: {
    host: ShareHost
    remote: ShareRemote
  }): Promise<AdapterApps> => {
    const remoteApp = express()
    // A body parser before Share, as many apps have: logout must still read its form.
    remoteApp.use(express.urlencoded({ extended: false }))
    remoteApp.use(shareRemote(remote))
    remoteApp.get('/private', requireSession(remote), (req: Req, res: Res) =>
      res.send(`hello ${req.share?.userId}`),
    )
    remoteApp.get('/public', (req: Req, res: Res) =>
      res.send(req.share ? `hi ${req.share.userId}` : 'anon'),
    )
    const onlyAdmin = { where: (session: { userId: string }) => session.userId === 'admin' }
    remoteApp.get('/admin', requireSession(remote, onlyAdmin), (_req: Req, res: Res) =>
      res.send('admin'),
    )

    const hostApp = express()
    hostApp.use(shareHost(host))
    hostApp.get('/login', (_req: Req, res: Res) =>
      res.type('html').send('<form method="post"><button>Sign in</button></form>'),
    )
    hostApp.post(
      '/login',
      express.urlencoded({ extended: false }),
      (req: Req, res: Res, next: (e: unknown) => void) => {
        host
          .signIn(toShareRequest(req as never, host.origin), {
            userId: 'alice',
            next: req.body?.next ?? null,
          })
          .then((response) => sendWebResponse(res as never, response))
          .catch(next)
      },
    )
    hostApp.get('/whoami', (req: Req, res: Res) => res.send(req.share?.userId ?? 'anon'))

    const [remoteServer, hostServer] = await Promise.all([serve(remoteApp), serve(hostApp)])
    return {
      remote: remoteServer.fetch,
      host: hostServer.fetch,
      close: async () => {
        await Promise.all([remoteServer.close(), hostServer.close()])
      },
    }
  }
}
