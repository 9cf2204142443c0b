import { ShareError } from '../errors.js'
import type { ShareRequest } from './request.js'
import { errorResponse } from './responses.js'
import type { ResolvedSession } from './session-reader.js'

/** Options of `requireSession`, the same in every adapter. */
export interface RequireSessionOptions {
  /**
   * What a request without a session gets. `auto`: a 401 JSON error for API
   * calls (a `fetch` or XHR, by `Sec-Fetch-Dest: empty`, or an `Accept` that
   * asks for JSON and not HTML), the sign-in redirect for page loads.
   * `redirect` or `status` choose one for every request.
   * @default 'auto'
   */
  onMissing?: 'auto' | 'redirect' | 'status'
  /**
   * A predicate over the session (roles, plans, a user flag): a session it
   * refuses gets `403 ERR_FORBIDDEN`, page or JSON.
   */
  where?: (session: ResolvedSession) => boolean
}

/** What the handler found for the request: the session, or none, or a store it could not reach. */
export interface SessionState {
  readonly session: ResolvedSession | null
  /** The store was unreachable: pages that need no session went on; this one fails closed. */
  readonly unavailable?: boolean | undefined
}

/** True for requests made by script (fetch, XHR) or asking for JSON rather than a page. */
export function isApiRequest(request: Pick<ShareRequest, 'headers'>): boolean {
  if (request.headers.get('sec-fetch-dest') === 'empty') return true
  const accept = request.headers.get('accept') ?? ''
  return accept.includes('application/json') && !accept.includes('text/html')
}

/**
 * The guard's decision: `null` lets the request go on; otherwise the
 * response: 503 when the store is down, 401 or the sign-in redirect without
 * a session, 403 when `where` refuses the session.
 */
export async function guardResponse(
  request: ShareRequest,
  state: SessionState,
  options: RequireSessionOptions,
  loginRedirect: (request: ShareRequest) => Response | Promise<Response>,
): Promise<Response | null> {
  const { session } = state
  if (session !== null) {
    if (options.where === undefined || options.where(session)) return null
    return errorResponse(new ShareError('ERR_FORBIDDEN'), request)
  }
  if (state.unavailable) return errorResponse(new ShareError('ERR_STORE_UNAVAILABLE'), request)
  const mode = options.onMissing ?? 'auto'
  if (mode === 'status' || (mode === 'auto' && isApiRequest(request))) {
    return errorResponse(new ShareError('ERR_SESSION_REQUIRED'), request, { json: true })
  }
  return loginRedirect(request)
}
