// @ts-check
// Remote A: Hono. Every page needs a session; without one the browser goes to the host.
import { requireSession, shareRemote } from '@share/hono'
import { Hono } from 'hono'
import { remotePage } from './remote-page.mjs'

/**
 * @param {import('@share/core').ShareRemote} remote
 * @param {{ host: string, other: { name: string, url: string } }} links
 */
export function createRemoteA(remote, links) {
  const app = new Hono()
  app.use(shareRemote(remote))
  app.get('/', requireSession(remote), (c) =>
    c.html(
      remotePage({
        app: 'App A (Hono) · app-a.localhost',
        colour: '#0a84ff',
        share: c.get('share'),
        remote,
        links,
      }),
    ),
  )
  return app
}
