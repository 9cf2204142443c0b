/**
 * @share/express: Share for Express 5 (and 4). Translation only: the
 * protocol, its checks and every status code live in @share/core.
 *
 * @module
 */

import type { ServerResponse } from 'node:http'
import type {
  ResolvedSession,
  ShareHost,
  ShareOutcome,
  ShareRemote,
  ShareRequest,
} from '@share/core'
import { addHeaders, type NodeRequest, sendWebResponse, toShareRequest } from './web.js'

export { sendWebResponse, toShareRequest } from './web.js'

declare global {
  namespace Express {
    interface Request {
      /** The request's live session (null when there is none), set by shareHost/shareRemote. */
      share?: ResolvedSession | null
    }
  }
}

type Next = (error?: unknown) => void
/** An Express middleware, typed structurally so Express 4 and 5 both accept it. */
export type ShareMiddleware = (
  req: NodeRequest & { share?: ResolvedSession | null },
  res: ServerResponse,
  next: Next,
) => void

interface Handler {
  readonly origin: string
  handle(request: ShareRequest): Promise<ShareOutcome>
}

function middleware(handler: Handler): ShareMiddleware {
  return (req, res, next) => {
    handler
      .handle(toShareRequest(req, handler.origin))
      .then(async (outcome) => {
        if (outcome.type === 'respond') return sendWebResponse(res, outcome.response)
        req.share = outcome.session
        // Once per touch interval: the session's idle-expiry write (never rejects).
        if (outcome.pending) await outcome.pending
        addHeaders(res, outcome.headers)
        next()
      })
      .catch(next)
  }
}

/**
 * Share for a remote app: serves `/share/login`, `/share/callback` and
 * `/share/logout`, and puts the session on `req.share`.
 *
 * @example
 * ```ts
 * import { createMemoryStore, createShareRemote, fromEnv } from '@share/core'
 * import { requireSession, shareRemote } from '@share/express'
 * const remote = createShareRemote({ ...fromEnv(process.env, 'remote'), store: createMemoryStore() })
 * app.use(shareRemote(remote))
 * app.get('/', requireSession(remote), (req, res) => res.send(`hello ${req.share!.userId}`))
 * ```
 */
export function shareRemote(remote: ShareRemote): ShareMiddleware {
  return middleware(remote)
}

/** Share for the host app: the hand-off, logout, session management; the host session on `req.share`. */
export function shareHost(host: ShareHost): ShareMiddleware {
  return middleware(host)
}

/** Lets only requests with a session through; others start sign-in. */
export function requireSession(handler: ShareRemote | ShareHost): ShareMiddleware {
  return (req, res, next) => {
    if (req.share) return next()
    Promise.resolve(handler.loginRedirect(toShareRequest(req, handler.origin)))
      .then((response) => sendWebResponse(res, response))
      .catch(next)
  }
}
