import type { ShareHost, ShareRemote } from '@share/core'
import { Hono } from 'hono'
import { requireSession, shareHost, shareRemote } from '../src/index.js'

/** The scenario apps: a remote with public, private and admin pages; a host with its login. */
export function buildHonoApps({ host, remote }: { host: ShareHost; remote: ShareRemote }) {
  const remoteApp = new Hono()
  remoteApp.use(shareRemote(remote))
  remoteApp.get('/private', requireSession(remote), (c) => c.text(`hello ${c.var.share?.userId}`))
  remoteApp.get('/public', (c) => c.text(c.var.share ? `hi ${c.var.share.userId}` : 'anon'))
  const onlyAdmin = { where: (session: { userId: string }) => session.userId === 'admin' }
  remoteApp.get('/admin', requireSession(remote, onlyAdmin), (c) => c.text('admin'))

  const hostApp = new Hono()
  hostApp.use(shareHost(host))
  hostApp.get('/login', (c) => c.html('<form method="post"><button>Sign in</button></form>'))
  hostApp.post('/login', async (c) => {
    const form = await c.req.parseBody()
    return host.signIn(c.req.raw, { userId: 'alice', next: String(form.next ?? '') })
  })
  hostApp.get('/whoami', (c) => c.text(c.var.share?.userId ?? 'anon'))
  return { hostApp, remoteApp }
}
