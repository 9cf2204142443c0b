import type { ShareUser } from '../config/register.js'
import { storeUnavailable } from '../errors.js'
import { call, type EngineContext } from './context.js'
import { signCookieValue, VerifiedCookieCache, verifyCookieValue } from './cookie.js'
import type { DenyReason } from './events.js'
import { isAlive, type SessionRecord } from './record.js'
import { touchedRecord } from './records.js'
import type { SessionWithParent } from './store.js'

export type ResolveResult =
  | {
      readonly ok: true
      /** The session the cookie names (a linked one at a remote). */
      readonly session: SessionRecord
      /** The host session behind it (the same record at the host), as read. */
      readonly host: SessionRecord
      readonly userId: string
      readonly user: ShareUser | null
      /**
       * The throttled touch write, when this request is the one that slides
       * the idle expiry; undefined between touch intervals. It never
       * rejects: a failed write is reported as a `store.unavailable` event.
       */
      readonly pending: Promise<void> | undefined
      /**
       * A new cookie value for the same session when the request's cookie
       * was signed by an older key of the keyring (a rotation is under way):
       * set it, so the session outlives the old key. Undefined otherwise.
       */
      readonly reissue?: string | undefined
    }
  | { readonly ok: false; readonly reason: DenyReason | 'no-cookie' }

/**
 * The read behind `engine.resolve`. Synchronous when it can be (a cookie
 * verified before, a store in this process, a current key): then a request
 * pays no promise and no microtask for its session. Otherwise a promise. A
 * store that throws synchronously throws `ERR_STORE_UNAVAILABLE` here.
 */
export type Resolve = (
  cookieValue: string | null | undefined,
  audience?: string,
) => ResolveResult | Promise<ResolveResult>

const NO_COOKIE: ResolveResult = Object.freeze({ ok: false, reason: 'no-cookie' })

/**
 * The per-request read: the cookie's MAC (cached once verified), one store
 * round trip for the session and its host session, both alive, the right
 * app. Writes nothing between touch intervals.
 */
export function createResolver(ctx: EngineContext): Resolve {
  const { config, emit } = ctx
  const { store, keys } = config
  const cache = new VerifiedCookieCache(config.verifiedCookieCacheSize)

  function deny(reason: DenyReason, record?: SessionRecord): ResolveResult {
    emit({
      type: 'session.denied',
      at: config.now(),
      reason,
      ...(record ? { userId: record.userId, handle: record.handle } : {}),
    })
    return { ok: false, reason }
  }

  /** Slides the host session's idle expiry; a failed compare-and-set means someone else wrote it. */
  async function touch(session: SessionRecord, host: SessionRecord, now: number): Promise<void> {
    try {
      const next = touchedRecord(host, session.audience, config, now)
      if (await call(() => store.compareAndSet(next, host.version))) {
        emit({ type: 'session.touched', at: now, userId: host.userId, handle: host.handle })
      }
    } catch {
      emit({ type: 'store.unavailable', at: now, operation: 'touch' })
    }
  }

  /** A cookie not seen before: its MAC, with the keyring (derived on first use). */
  async function verifyThenRead(cookieValue: string, audience: string | undefined) {
    const verified = await verifyCookieValue(keys.loaded ?? (await keys.load()), cookieValue, cache)
    if (verified === null) return deny('bad-cookie')
    return read(verified.sessionId, verified.stale, audience)
  }

  /** One store round trip: awaited only when the store answers with a promise. */
  function read(
    id: string,
    stale: boolean,
    audience: string | undefined,
  ): ResolveResult | Promise<ResolveResult> {
    let found: SessionWithParent | null | PromiseLike<SessionWithParent | null>
    try {
      found = store.getWithParent(id)
    } catch (error) {
      throw storeUnavailable(error)
    }
    if (!isThenable(found)) return decide(found, stale, audience)
    return Promise.resolve(found).then(
      (answer) => decide(answer, stale, audience),
      (error: unknown) => {
        throw storeUnavailable(error)
      },
    )
  }

  /** The session and its host session: both alive, the right app; the touch when it is due. */
  function decide(
    found: SessionWithParent | null,
    stale: boolean,
    audience: string | undefined,
  ): ResolveResult | Promise<ResolveResult> {
    if (found === null) return deny('not-found')
    const { session, parent } = found
    const wrongApp =
      audience === undefined
        ? session.kind !== 'host'
        : session.kind !== 'linked' || session.audience !== audience
    if (wrongApp) return deny('wrong-app', session)
    const host = session.kind === 'host' ? session : parent
    if (host === null || (session.kind === 'linked' && host.id !== session.parentId)) {
      return deny('parent-gone', session)
    }
    const now = config.now()
    if (!isAlive(session, now) || !isAlive(host, now)) return deny('expired', session)
    // Between touch intervals nothing is written: no call, no promise.
    const pending =
      now - host.lastSeenAt < config.touchIntervalMs ? undefined : touch(session, host, now)
    // The stored JSON is what signIn was given: the registered user type.
    const user = host.user as ShareUser | null
    if (!stale) return { ok: true, session, host, userId: host.userId, user, pending }
    // Signed by a key that is on its way out: the same session, signed with the current key.
    return keys
      .load()
      .then((keyring) => signCookieValue(keyring, session.id))
      .then((reissue) => ({ ok: true, session, host, userId: host.userId, user, pending, reissue }))
  }

  return function resolve(cookieValue, audience) {
    if (cookieValue === undefined || cookieValue === null || cookieValue === '') return NO_COOKIE
    // Hot path: a cookie seen before skips the MAC check and the keyring.
    const id = cache.get(cookieValue)
    return id === undefined ? verifyThenRead(cookieValue, audience) : read(id, false, audience)
  }
}

/** Any thenable, not only this realm's Promise: a store's promise may come from a library. */
export function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as PromiseLike<T> | null)?.then === 'function'
}
