/**
 * @share/hono: Share for Hono (Node, Bun, Deno, Workers). Translation only:
 * the protocol, its checks and every status code live in @share/core.
 *
 * @module
 */
import type {
  HeaderList,
  RequireSessionOptions,
  ResolvedSession,
  ShareHost,
  ShareOutcome,
  ShareRemote,
} from '@share/core'
import type { Context, MiddlewareHandler, Next } from 'hono'

/** The request's live session on `c.var.share` (null when there is none). */
export interface ShareVariables {
  share: ResolvedSession | null
  /** True when the store could not be reached: `share` is null, `requireSession` answers 503. */
  shareUnavailable: boolean
}

declare module 'hono' {
  interface ContextVariableMap extends ShareVariables {}
}

/**
 * Runs a core handler for every request: its endpoints answer directly;
 * other requests continue with the session on `c.var.share`, and the
 * handler's headers (a cleared cookie, framing policy) added to the response.
 * Not an async function: when core answers synchronously (a session at hand),
 * the request goes on to `next()` without a promise of ours in between.
 */
function middleware(handler: {
  handle(request: Request): ShareOutcome | Promise<ShareOutcome>
}): MiddlewareHandler {
  return (c, next) => {
    const outcome = handler.handle(c.req.raw)
    if (outcome instanceof Promise) return outcome.then((answer) => proceed(c, next, answer))
    return proceed(c, next, outcome)
  }
}

function proceed(c: Context, next: Next, outcome: ShareOutcome): Promise<Response | undefined> {
  if (outcome.type === 'respond') return Promise.resolve(outcome.response)
  c.set('share', outcome.session)
  c.set('shareUnavailable', outcome.unavailable === true)
  const { headers, pending } = outcome
  // Once per touch interval: the session's idle-expiry write, off the response path where possible.
  if (pending !== undefined && !handedOff(c, pending)) {
    return pending.then(() => respond(c, next, headers))
  }
  return respond(c, next, headers)
}

function respond(c: Context, next: Next, headers: HeaderList): Promise<undefined> {
  // Most requests add no header, or only plain ones that Node can take now: nothing to do
  // after next(), and the response keeps @hono/node-server's fast path.
  if (headers.length === 0 || setOnNodeResponse(c, headers)) return next() as Promise<undefined>
  return next().then(() => {
    addHeaders(c, headers)
    return undefined
  })
}

/** What @hono/node-server binds as `c.env.outgoing`: Node's own response, not yet started. */
interface NodeResponse {
  readonly headersSent: boolean
  setHeader(name: string, value: string): unknown
}

/**
 * On @hono/node-server, headers other than Set-Cookie go straight onto Node's
 * response before the handler runs, as Express does: Node merges them into
 * whatever the handler returns (the handler's own value of the same header
 * wins), and the response needs no Headers copy. False when that cannot be
 * done (another runtime, or a cookie to set): the caller adds them after.
 */
function setOnNodeResponse(c: Context, headers: HeaderList): boolean {
  const outgoing = (c.env as { outgoing?: Partial<NodeResponse> } | undefined)?.outgoing
  if (typeof outgoing?.setHeader !== 'function' || outgoing.headersSent !== false) return false
  // Index loops, no iterator: this runs on every signed-in request.
  for (let i = 0; i < headers.length; i++) if (isSetCookie(headers[i]![0])) return false
  for (let i = 0; i < headers.length; i++) outgoing.setHeader(headers[i]![0], headers[i]![1])
  return true
}

/** Hands the write to `waitUntil` on runtimes that have one (Workers); false where it must be awaited. */
function handedOff(c: Context, pending: Promise<void>): boolean {
  let executionCtx: { waitUntil(promise: Promise<unknown>): void } | undefined
  try {
    executionCtx = c.executionCtx
  } catch {
    // Hono throws when the runtime gave no execution context (Node, Bun, Deno).
    return false
  }
  executionCtx.waitUntil(pending)
  return true
}

/** A length test first: no lower-case copy of `Cache-Control` on every request. */
function isSetCookie(name: string): boolean {
  return name.length === 10 && name.toLowerCase() === 'set-cookie'
}

function addHeaders(c: Context, headers: HeaderList): void {
  try {
    setAll(c.res.headers, headers)
  } catch {
    // Some responses (e.g. straight from fetch) have immutable headers: copy, then set.
    c.res = new Response(c.res.body, c.res)
    setAll(c.res.headers, headers)
  }
}

/** Cookies are appended; any other header is added unless the handler's response has its own. */
function setAll(target: Headers, headers: HeaderList): void {
  for (let i = 0; i < headers.length; i++) {
    const [name, value] = headers[i]!
    if (isSetCookie(name)) target.append(name, value)
    else if (!target.has(name)) target.set(name, value)
  }
}

/**
 * Share for a remote app: serves `/share/login`, `/share/callback` and
 * `/share/logout`, and puts the session on `c.var.share`.
 *
 * @example
 * ```ts
 * import { createMemoryStore, createShareRemote, fromEnv } from '@share/core'
 * import { requireSession, shareRemote } from '@share/hono'
 * const remote = createShareRemote({ ...fromEnv(process.env, 'remote'), store: createMemoryStore() })
 * app.use(shareRemote(remote))
 * app.get('/', requireSession(remote), (c) => c.text(`hello ${c.var.share!.userId}`))
 * ```
 */
export function shareRemote(remote: ShareRemote): MiddlewareHandler {
  return middleware(remote)
}

/**
 * Share for the host app: serves the hand-off (`/share/authorize`), logout
 * and session management, puts the host session on `c.var.share`, and marks
 * every page unframeable.
 */
export function shareHost(host: ShareHost): MiddlewareHandler {
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
): MiddlewareHandler {
  return (c, next) => {
    const session = c.get('share')
    // A signed-in request with no predicate goes straight on, with no call into core or promise.
    if (session && options.where === undefined) return next()
    const state = { session, unavailable: c.get('shareUnavailable') }
    return handler
      .requireSession(c.req.raw, state, options)
      .then((denied) => denied ?? next().then(() => undefined))
  }
}
