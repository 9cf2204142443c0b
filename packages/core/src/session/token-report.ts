import {
  type InspectTokenOptions,
  openForInspection,
  type TokenInspection,
} from '../token/inspect.js'
import { isTokenIdUsed } from '../token/replay.js'
import { call, type EngineContext } from './context.js'
import { isAlive } from './record.js'

/** A token inspection with what the store knows: the replay guard and the host session. */
export interface TokenReport extends TokenInspection {
  /** True once a remote redeemed it (read, never set); `null` when the seal did not open. */
  readonly used: boolean | null
  /** The host session the token names; `null` when the seal did not open. */
  readonly session: {
    readonly alive: boolean
    /** The session's user, when it is still stored. */
    readonly userId: string | null
  } | null
}

/**
 * `engine.inspectToken`: {@link inspectToken} with the engine's keyring, then
 * the replay guard and the host session, read without changing either.
 */
export async function reportToken(
  ctx: EngineContext,
  token: string,
  options: InspectTokenOptions = {},
): Promise<TokenReport> {
  const keyring = await ctx.config.keys.load()
  const { inspection, claims } = await openForInspection(keyring, token, {
    ...options,
    now: options.now ?? ctx.config.now(),
  })
  if (claims === null) return { ...inspection, used: null, session: null }
  const [used, record] = await Promise.all([
    isTokenIdUsed(ctx, claims.tokenId),
    call(() => ctx.config.store.get(claims.sessionId)),
  ])
  const alive = record !== null && record.kind === 'host' && isAlive(record, ctx.config.now())
  return { ...inspection, used, session: { alive, userId: record?.userId ?? null } }
}
