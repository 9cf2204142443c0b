/**
 * @share/core/store: what a session store implementation needs. The store
 * contract, the record type and its text codec, the user tag every session
 * id starts with, and the error a failing backend must become.
 *
 * @module
 */

export { decodeBase64url, encodeBase64url } from './encoding/base64url.js'
export { storeUnavailable } from './errors.js'
export { SESSION_ID_LENGTH, USER_TAG_LENGTH, userTag } from './session/ids.js'
export {
  type ClientInfo,
  createRecordParser,
  expiresAt,
  isAlive,
  type JsonValue,
  parseRecord,
  RECORD_PARSE_CACHE_SIZE,
  type RemoteVisit,
  type SessionRecord,
  serializeRecord,
} from './session/record.js'
export type {
  CreateResult,
  SessionStore,
  SessionWithParent,
  StoreCapabilities,
  SweepProgress,
  SweepResult,
} from './session/store.js'
