/**
 * Audit events, delivered through the engine's one `onEvent` hook. They name
 * sessions by their public handle, never by their secret id.
 */

/** Why a request carried no usable session. */
export type DenyReason =
  /** No cookie, or one that is not a signed session cookie (checked without the store). */
  | 'bad-cookie'
  /** Signed, but the store has no such session (revoked, expired and gone, or never existed). */
  | 'not-found'
  /** The session or its host session is past its idle or absolute expiry. */
  | 'expired'
  /** A linked session whose host session is gone. */
  | 'parent-gone'
  /** A session presented to the wrong app (a linked cookie at the host, or at another remote). */
  | 'wrong-app'

export type RevokeReason =
  | 'revoke'
  | 'revoke-others'
  | 'revoke-all'
  | 'logout'
  | 'logout-everywhere'
  | 'session-limit'

export type SessionEvent =
  | {
      type: 'session.created'
      at: number
      userId: string
      handle: string
      kind: 'host' | 'linked'
      audience?: string
    }
  | { type: 'session.touched'; at: number; userId: string; handle: string }
  | { type: 'session.denied'; at: number; reason: DenyReason; userId?: string; handle?: string }
  | { type: 'session.revoked'; at: number; userId: string; reason: RevokeReason; count: number }
  | { type: 'token.replayed'; at: number }
  | { type: 'user.updated'; at: number; userId: string; count: number }
  | { type: 'store.swept'; at: number; removed: number }
  /** A background write (the throttled touch) failed; the request it came from was served. */
  | { type: 'store.unavailable'; at: number; operation: 'touch' }
