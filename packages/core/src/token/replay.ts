import { ShareError } from '../errors.js'
import { call, type EngineContext } from '../session/context.js'

/** The longest a token id is remembered, in seconds (well past any token's life). */
const MAX_REPLAY_TTL_SEC = 3600

/**
 * The replay guard: true the first time a token id is seen, false after, by
 * an atomic set-if-absent in the store, remembered for `ttlSec` seconds
 * (past the token's own expiry plus leeway, so it cannot come back).
 */
export async function consumeTokenId(
  ctx: EngineContext,
  tokenId: string,
  ttlSec: number,
): Promise<boolean> {
  if (typeof tokenId !== 'string' || tokenId.length === 0 || tokenId.length > 64) {
    throw new ShareError('ERR_ARGUMENT_INVALID', { detail: 'tokenId must be 1 to 64 characters' })
  }
  if (!Number.isInteger(ttlSec) || ttlSec < 1 || ttlSec > MAX_REPLAY_TTL_SEC) {
    throw new ShareError('ERR_ARGUMENT_INVALID', {
      detail: `ttlSec must be 1 to ${MAX_REPLAY_TTL_SEC} seconds`,
    })
  }
  const first = await call(() => ctx.config.store.setIfAbsent(`token:${tokenId}`, ttlSec))
  if (!first) ctx.emit({ type: 'token.replayed', at: ctx.config.now() })
  return first
}

/**
 * Whether a remote already redeemed this token id: the replay guard's key,
 * read without setting it (for tools; the guard itself is `consumeTokenId`).
 */
export async function isTokenIdUsed(ctx: EngineContext, tokenId: string): Promise<boolean> {
  return call(() => ctx.config.store.hasKey(`token:${tokenId}`))
}
