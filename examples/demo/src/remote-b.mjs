// @ts-check
// Remote B: Express. The same page as A, through @share/express.
import { requireSession, shareRemote } from '@share/express'
import express from 'express'
import { remotePage } from './remote-page.mjs'

/**
 * @param {import('@share/core').ShareRemote} remote
 * @param {{ host: string, other: { name: string, url: string } }} links
 */
export function createRemoteB(remote, links) {
  const app = express()
  app.disable('x-powered-by')
  app.use(shareRemote(remote))
  app.get('/', requireSession(remote), (req, res) => {
    res.type('html').send(
      remotePage({
        app: 'App B (Express) · app-b.localhost',
        colour: '#30b0c7',
        share: req.share ?? null,
        remote,
        links,
      }),
    )
  })
  return app
}
