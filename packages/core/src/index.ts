/**
 * @share/core: cross-domain cookie-session sharing on Web Crypto only.
 * Keys and keyrings, sealed hand-off tokens, checksums, the callback codec
 * and allow-list, the session engine with its store contract, and the
 * embedded memory store. Runs unchanged on Node, Bun, Deno, workerd and
 * edge runtimes: no `node:*` imports, no Buffer.
 *
 * @module
 */

export { type AllowList, type AllowListOptions, createAllowList } from './callback/allow-list.js'
export { decodeCallback, encodeCallback } from './callback/codec.js'
export { type CallbackCheck, MAX_CALLBACK_LENGTH } from './callback/parse.js'
export { createChecksum, verifyChecksum } from './checksum/checksum.js'
export { decodeBase64url, encodeBase64url } from './encoding/base64url.js'
export {
  errorStatus,
  isShareError,
  SHARE_ERROR_CODES,
  ShareError,
  type ShareErrorCode,
  type ShareErrorOptions,
  type ShareErrorStatus,
  storeUnavailable,
} from './errors.js'
export type { FlowOptions, ResolvedSession, ShareOutcome } from './flow/base.js'
export { fromEnv, type ShareEnv } from './flow/config.js'
export {
  createShareHost,
  type ShareHost,
  type ShareHostOptions,
  type SignInInput,
  withToken,
} from './flow/host.js'
export { errorResponse, type HeaderList, type ShareRequest } from './flow/http.js'
export { createShareRemote, type ShareRemote, type ShareRemoteOptions } from './flow/remote.js'
export { createKeyring, type KeyEntry, type Keyring } from './keys/keyring.js'
export { generateSyncKey, SYNC_KEY_PREFIX } from './keys/sync-key.js'
export { createMemoryStore, type MemoryStoreOptions } from './memory/memory-store.js'
export {
  type CreateSessionInput,
  createSessionEngine,
  type IssuedSession,
  type ResolveResult,
  type SessionEngine,
  type SessionSummary,
} from './session/engine.js'
export type { DenyReason, RevokeReason, SessionEvent } from './session/events.js'
export { SESSION_ID_LENGTH, userTag } from './session/ids.js'
export type { SessionEngineOptions } from './session/options.js'
export {
  type ClientInfo,
  expiresAt,
  isAlive,
  type JsonValue,
  parseRecord,
  type RemoteVisit,
  type SessionRecord,
  serializeRecord,
} from './session/record.js'
export type {
  CreateResult,
  SessionStore,
  SessionWithParent,
  StoreCapabilities,
} from './session/store.js'
export {
  type Claims,
  DEFAULT_TOKEN_TTL_SEC,
  MAX_TOKEN_LENGTH,
  MAX_TOKEN_TTL_SEC,
} from './token/format.js'
export {
  DEFAULT_LEEWAY_SEC,
  MAX_LEEWAY_SEC,
  type SealInput,
  type SealOptions,
  sealSessionId,
  type UnsealOptions,
  unsealSessionId,
} from './token/seal.js'
