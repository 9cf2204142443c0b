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

export type Resolve = (
  cookieValue: string | null | undefined,
  audience?: string,
) => Promise<ResolveResult>

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

  return async function resolve(cookieValue, audience) {
    if (cookieValue === undefined || cookieValue === null || cookieValue === '') {
      return { ok: false, reason: 'no-cookie' }
    }
    // Hot path: a cookie seen before skips the MAC check and the keyring without an await.
    let id = cache.get(cookieValue)
    let stale = false
    if (id === undefined) {
      const verified = await verifyCookieValue(
        keys.loaded ?? (await keys.load()),
        cookieValue,
        cache,
      )
      if (verified === null) return deny('bad-cookie')
      id = verified.sessionId
      stale = verified.stale
    }
    let found: SessionWithParent | null
    try {
      const read = store.getWithParent(id)
      // A store in this process answers at once: no await, no extra microtask.
      found = isThenable(read) ? await read : read
    } catch (error) {
      throw storeUnavailable(error)
    }
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
    const reissue = await signCookieValue(await keys.load(), session.id)
    return { ok: true, session, host, userId: host.userId, user, pending, reissue }
  }
}

/** Any thenable, not only this realm's Promise: a store's promise may come from a library. */
function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as PromiseLike<T> | null)?.then === 'function'
}
