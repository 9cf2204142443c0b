/**
 * @share/core: cross-domain cookie-session sharing on Web Crypto only.
 * What an app needs: the host and remote handlers, their options and
 * environment reader, the session read path, the error model, key
 * generation and the embedded memory store. Store authors import
 * `@share/core/store`; token primitives live in `@share/core/token`.
 * No `node:*` imports, no Buffer.
 *
 * @module
 */

export { DEFAULT_COOKIE_NAME, DEFAULTS } from './config/defaults.js'
export { fromEnv, type HostEnv, type RemoteEnv } from './config/env.js'
export type {
  AuditLogger,
  CommonOptions,
  CookieOptions,
  RemoteEntry,
  SessionOptions,
  ShareHostOptions,
  ShareRemoteOptions,
} from './config/options.js'
export type { Register, ShareUser } from './config/register.js'
export {
  errorStatus,
  isShareError,
  SHARE_ERROR_CODES,
  ShareError,
  type ShareErrorCode,
  type ShareErrorOptions,
  type ShareErrorStatus,
} from './errors.js'
export type { RequireSessionOptions, SessionState } from './flow/guard.js'
export { createShareHost, type ShareHost, type SignInInput } from './flow/host.js'
export {
  createPathMatcher,
  type PathProtection,
  routedPath,
} from './flow/protected-path.js'
export { createShareRemote, type ShareRemote } from './flow/remote.js'
export type { HeaderList, ShareRequest } from './flow/request.js'
export type {
  CookieReader,
  ResolvedSession,
  SessionRead,
  SessionSource,
  ShareOutcome,
} from './flow/session-reader.js'
export { generateSyncKey, SYNC_KEY_PREFIX } from './keys/sync-key.js'
export { createMemoryStore, type MemoryStoreOptions } from './memory/memory-store.js'
// The engine on its own: for operators' tools (list, revoke, sweep from a terminal) and tests.
export {
  type CreateSessionInput,
  createSessionEngine,
  type IssuedSession,
  type ResolveResult,
  type SessionEngine,
  type SessionEngineOptions,
  type SessionSummary,
  type TokenReport,
} from './session/engine.js'
export type { DenyReason, RevokeReason, SessionEvent } from './session/events.js'
export type { ClientInfo, JsonValue, RemoteVisit, SessionRecord } from './session/record.js'
