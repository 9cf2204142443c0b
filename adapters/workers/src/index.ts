/**
 * @share/workers: Share for Cloudflare Workers. Translation only: the
 * protocol, its checks and every status code live in @share/core. This
 * module turns a Worker's `fetch(request, env, ctx)` into core's
 * `handle(request)`, hands the session to the wrapped handler, adds core's
 * headers to its response and gives the touch write to `ctx.waitUntil`.
 *
 * @module
 */
import type {
  HeaderList,
  RequireSessionOptions,
  ResolvedSession,
  ShareHost,
  ShareRemote,
} from '@share/core'

/** The part of a Worker's `ExecutionContext` the wrapper uses. */
export interface WaitUntil {
  waitUntil(promise: Promise<unknown>): void
}

/** A core handler: a remote (`createShareRemote`) or the host (`createShareHost`). */
export type ShareHandler = ShareRemote | ShareHost

/** What the wrapped handler gets besides `request`, `env` and `ctx`. */
export interface ShareContext<H extends ShareHandler = ShareRemote> {
  /** The request's live session, or null when it has none. */
  readonly session: ResolvedSession | null
  /**
   * True when the store could not be reached: `session` is null, pages that need
   * no session go on, and `requireSession` answers 503.
   */
  readonly unavailable: boolean
  /** The core handler built from `env` (for `loginRedirect`, `signIn`, `listSessions`...). */
  readonly share: H
}

/** A Worker's fetch handler with the session as a fourth argument. */
export type ShareFetchHandler<Env, H extends ShareHandler = ShareRemote, Ctx = WaitUntil> = (
  request: Request,
  env: Env,
  ctx: Ctx,
  share: ShareContext<H>,
) => Response | Promise<Response>

/** The fetch handler `withShare` returns: put it on the Worker's default export. */
export type WorkerFetch<Env, Ctx = WaitUntil> = (
  request: Request,
  env: Env,
  ctx: Ctx,
) => Promise<Response>

/**
 * Wraps a Worker's `fetch`: Share's own paths (`/share/login`,
 * `/share/callback`, `/share/logout` at a remote; the hand-off and session
 * management at the host) are answered here; every other request reaches
 * `handler` with its session.
 *
 * `setup(env)` builds the core handler from the Worker's bindings. It runs on
 * the first request of an isolate and again only when a binding changes: the
 * handler is memoised per isolate, keyed on the values of `env` (strings by
 * value, other bindings by identity), so the derived keys and core's caches
 * live as long as the isolate instead of being rebuilt on every request.
 *
 * @example
 * ```ts
 * export default {
 *   fetch: withShare(
 *     (request, env, ctx, { session }) => new Response(session ? `hello ${session.userId}` : 'anon'),
 *     (env) => createShareRemote({ ...fromEnv(env, 'remote'), store: upstashStore({ url, token }) }),
 *   ),
 * }
 * ```
 */
export function withShare<
  Env,
  H extends ShareHandler = ShareRemote,
  Ctx extends WaitUntil = WaitUntil,
>(handler: ShareFetchHandler<Env, H, Ctx>, setup: (env: Env) => H): WorkerFetch<Env, Ctx> {
  const handlerFor = memoisePerIsolate(setup)
  return async (request, env, ctx) => {
    const share = handlerFor(env)
    const outcome = await share.handle(request)
    if (outcome.type === 'respond') return outcome.response
    // The throttled touch write (never rejects): off the response path.
    if (outcome.pending) ctx.waitUntil(outcome.pending)
    const context = { session: outcome.session, unavailable: outcome.unavailable === true, share }
    const response = await handler(request, env, ctx, context)
    return withHeaders(response, outcome.headers)
  }
}

/**
 * Lets only requests with a session reach `handler`. Core decides the rest
 * (`options` are core's, the same in every adapter): without a session, the
 * sign-in redirect for a page and a 401 JSON error for an API call; a session
 * that `where` refuses, 403; a store that cannot be reached, 503.
 */
export function requireSession<Env, H extends ShareHandler = ShareRemote, Ctx = WaitUntil>(
  handler: ShareFetchHandler<Env, H, Ctx>,
  options: RequireSessionOptions = {},
): ShareFetchHandler<Env, H, Ctx> {
  return async (request, env, ctx, context) => {
    // A signed-in request with no predicate goes straight on, with no call into core.
    if (context.session && options.where === undefined) return handler(request, env, ctx, context)
    const denied = await context.share.requireSession(request, context, options)
    return denied ?? handler(request, env, ctx, context)
  }
}

/** One handler per isolate, rebuilt only when `env` carries different bindings. */
function memoisePerIsolate<Env, H>(setup: (env: Env) => H): (env: Env) => H {
  let last: { env: Env; entries: [string, unknown][]; handler: H } | undefined
  return (env) => {
    if (last && (last.env === env || sameBindings(last.entries, env))) {
      last.env = env
      return last.handler
    }
    // A setup that throws (a missing or bad binding) is not remembered: the next request retries.
    const handler = setup(env)
    last = { env, entries: Object.entries(env as object), handler }
    return handler
  }
}

function sameBindings(entries: [string, unknown][], env: unknown): boolean {
  if (typeof env !== 'object' || env === null) return false
  const keys = Object.keys(env)
  if (keys.length !== entries.length) return false
  const current = env as Record<string, unknown>
  return entries.every(([name, value]) => Object.is(current[name], value))
}

/**
 * The app's response with core's headers added (a cleared cookie, framing
 * policy, no-store): cookies appended, any other header only where the app
 * set none of its own. In place when the response allows it; a copy only for
 * one with immutable headers (e.g. straight from fetch()), as copying costs more.
 */
function withHeaders(response: Response, headers: HeaderList): Response {
  if (headers.length === 0) return response
  try {
    addTo(response.headers, headers)
    return response
  } catch {
    const copy = new Response(response.body, response)
    addTo(copy.headers, headers)
    return copy
  }
}

function addTo(target: Headers, headers: HeaderList): void {
  for (const [name, value] of headers) {
    if (name.toLowerCase() === 'set-cookie') target.append(name, value)
    else if (!target.has(name)) target.set(name, value)
  }
}
