/**
 * @share/express: Share for Express 5 (and 4). Translation only: the
 * protocol, its checks and every status code live in @share/core.
 *
 * @module
 */

import type { ServerResponse } from 'node:http'
import type {
  RequireSessionOptions,
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
      /** True when the store could not be reached: `share` is null, `requireSession` answers 503. */
      shareUnavailable?: boolean
    }
  }
}

type Next = (error?: unknown) => void
/** An Express middleware, typed structurally so Express 4 and 5 both accept it. */
export type ShareMiddleware = (
  req: NodeRequest & { share?: ResolvedSession | null; shareUnavailable?: boolean },
  res: ServerResponse,
  next: Next,
) => void

interface Handler {
  readonly origin: string
  handle(request: ShareRequest): ShareOutcome | Promise<ShareOutcome>
}

function middleware(handler: Handler): ShareMiddleware {
  return (req, res, next) => {
    const outcome = handler.handle(toShareRequest(req, handler.origin))
    // Core answers synchronously when the session is at hand: then no promise at all.
    if (outcome instanceof Promise) {
      outcome.then((answer) => proceed(req, res, next, answer)).catch(next)
      return
    }
    proceed(req, res, next, outcome)
  }
}

function proceed(
  req: Parameters<ShareMiddleware>[0],
  res: ServerResponse,
  next: Next,
  outcome: ShareOutcome,
): void {
  if (outcome.type === 'respond') {
    sendWebResponse(res, outcome.response).catch(next)
    return
  }
  req.share = outcome.session
  req.shareUnavailable = outcome.unavailable === true
  addHeaders(res, outcome.headers)
  // Once per touch interval: the session's idle-expiry write (never rejects).
  if (outcome.pending) outcome.pending.then(() => next())
  else next()
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

/**
 * Lets only requests with a session through (and, with `where`, only
 * sessions it accepts). Others get core's answer: the sign-in redirect for a
 * page, 401 JSON for an API call, 403 for a refused session, 503 when the
 * store is down. Options: `{ onMissing, where }` (see `RequireSessionOptions`).
 */
export function requireSession(
  handler: ShareRemote | ShareHost,
  options: RequireSessionOptions = {},
): ShareMiddleware {
  return (req, res, next) => {
    const session = req.share ?? null
    if (session && options.where === undefined) return next()
    const state = { session, unavailable: req.shareUnavailable === true }
    handler
      .requireSession(toShareRequest(req, handler.origin), state, options)
      .then((denied) => (denied ? sendWebResponse(res, denied) : next()))
      .catch(next)
  }
}
