/**
 * @share/core/token: the protocol's primitives, for tools, tests and other
 * implementations: keyrings, sealed hand-off tokens, checksums, the
 * callback codec and the allow-list. Apps rarely need them: the handlers in
 * `@share/core` use them for you.
 *
 * @module
 */

export { type AllowList, type AllowListOptions, createAllowList } from './callback/allow-list.js'
export { decodeCallback, encodeCallback } from './callback/codec.js'
export { type CallbackCheck, MAX_CALLBACK_LENGTH } from './callback/parse.js'
export { createChecksum, verifyChecksum } from './checksum/checksum.js'
export { decodeBase64url, encodeBase64url } from './encoding/base64url.js'
export { createKeyring, type KeyEntry, type Keyring } from './keys/keyring.js'
export { generateSyncKey, SYNC_KEY_PREFIX } from './keys/sync-key.js'
export {
  type Claims,
  DEFAULT_TOKEN_TTL_SEC,
  MAX_TOKEN_LENGTH,
  MAX_TOKEN_TTL_SEC,
} from './token/format.js'
export {
  type InspectedClaims,
  type InspectedMatch,
  type InspectTokenOptions,
  inspectToken,
  type TokenInspection,
  type TokenRefusal,
} from './token/inspect.js'
export {
  DEFAULT_LEEWAY_SEC,
  MAX_LEEWAY_SEC,
  type SealInput,
  type SealOptions,
  sealSessionId,
  type UnsealOptions,
  unsealSessionId,
} from './token/seal.js'
