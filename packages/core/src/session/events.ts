import type { ShareErrorCode } from '../errors.js'

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
  /** A sweep ran: session records looked at, removed and kept (zeros on native-TTL stores). */
  | { type: 'store.swept'; at: number; scanned: number; removed: number; kept: number }
  /**
   * The store failed: a background write (the throttled touch; the request
   * was served), or a request that got a 503.
   */
  | { type: 'store.unavailable'; at: number; operation: 'touch' | 'request' }
  /**
   * The host sealed a hand-off token for a remote. `ref` is a short keyed
   * hash of the token (never the token): the same `ref` appears when that
   * remote redeems or refuses it.
   */
  | {
      type: 'token.issued'
      at: number
      userId: string
      handle: string
      audience: string
      ref: string
    }
  /** A remote redeemed a token: `handle` is its new linked session. */
  | {
      type: 'token.redeemed'
      at: number
      userId: string
      handle: string
      audience: string
      ref: string
    }
  /** A remote refused a token, with the code saying why (`ref` null when there was none to hash). */
  | {
      type: 'token.refused'
      at: number
      audience: string
      code: ShareErrorCode
      ref: string | null
    }
