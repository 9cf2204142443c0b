/**
 * One error class with a stable string code per failure, and one table that
 * decides each code's HTTP status and fixed message. Messages never carry a
 * token, a cookie value or a key: only codes and configuration hints.
 *
 * @module
 */

const ERRORS = {
  // Start-up and programming mistakes: the app must be fixed, not the request.
  ERR_CONFIG_INVALID: { status: 500, message: 'Share configuration is invalid' },
  ERR_KEY_INVALID: {
    status: 500,
    message:
      'Sync key is invalid: expected "share_sk1_" followed by 43 base64url characters (make one with generateSyncKey() from @share/core)',
  },
  ERR_ARGUMENT_INVALID: { status: 500, message: 'Invalid argument passed to @share/core' },
  ERR_INTERNAL: { status: 500, message: 'Something went wrong on our side' },

  // A request that is not a well-formed step of the protocol.
  ERR_REQUEST_INVALID: {
    status: 400,
    message: 'The request is missing a required parameter, repeats one, or has one too long',
  },
  ERR_REQUEST_EXPIRED: {
    status: 400,
    message: 'The sign-in request is too old (or from the future); start again from the app',
  },
  ERR_SIGN_IN_LOOP: {
    status: 403,
    message:
      'Sign-in keeps coming back here without a session: this app does not keep its session cookie (check appUrl, https and cookieName)',
  },
  ERR_CHECKSUM_INVALID: {
    status: 400,
    message: 'The sign-in request was not made by a known app (checksum mismatch)',
  },
  ERR_ORIGIN_MISMATCH: {
    status: 403,
    message: 'This action must be sent from this site itself (Origin check failed)',
  },
  ERR_METHOD_NOT_ALLOWED: { status: 405, message: 'This address does not accept that method' },
  ERR_BODY_TOO_LARGE: { status: 413, message: 'The request body is too large' },

  // A hand-off token the request carried. All answer 403, never a redirect.
  ERR_TOKEN_MALFORMED: { status: 403, message: 'The sign-in token is malformed' },
  ERR_TOKEN_UNKNOWN_KEY: {
    status: 403,
    message: 'The sign-in token was sealed with a key this app does not know',
  },
  ERR_TOKEN_BAD_SEAL: { status: 403, message: 'The sign-in token failed its integrity check' },
  ERR_TOKEN_CLAIMS_INVALID: { status: 403, message: 'The sign-in token carries invalid claims' },
  ERR_TOKEN_EXPIRED: { status: 403, message: 'The sign-in token has expired' },
  ERR_TOKEN_NOT_YET_VALID: { status: 403, message: 'The sign-in token is not valid yet' },
  ERR_TOKEN_AUDIENCE: { status: 403, message: 'The sign-in token was issued for another app' },
  ERR_TOKEN_STATE: {
    status: 403,
    message: 'The sign-in token does not belong to this browser (state mismatch)',
  },
  ERR_TOKEN_REPLAYED: { status: 403, message: 'The sign-in token was already used' },

  // A callback URL the request carried. All answer 400, never a redirect.
  ERR_CALLBACK_MALFORMED: { status: 400, message: 'The callback parameter is not valid base64url' },
  ERR_CALLBACK_TOO_LONG: { status: 400, message: 'The callback URL is too long' },
  ERR_CALLBACK_INVALID: {
    status: 400,
    message:
      'The callback is not an acceptable absolute http(s) URL (no credentials, control characters, backslashes or encoded host)',
  },
  ERR_CALLBACK_NOT_ALLOWED: {
    status: 400,
    message: 'The callback origin is not on the allow-list of known remotes',
  },

  // Sessions and stores.
  ERR_SESSION_REQUIRED: {
    status: 401,
    message: 'This needs a signed-in session; sign in first',
  },
  ERR_FORBIDDEN: { status: 403, message: 'This session may not do that' },
  ERR_SESSION_NOT_FOUND: {
    status: 403,
    message: 'The session does not exist or has ended; sign in again',
  },
  ERR_STORE_UNAVAILABLE: {
    status: 503,
    message: 'The session store is unavailable; try again shortly',
  },
  ERR_STORE_FULL: { status: 503, message: 'The session store is full; try again later' },
} as const satisfies Record<
  string,
  { status: 400 | 401 | 403 | 405 | 413 | 500 | 503; message: string }
>

/** Every code a {@link ShareError} can carry. Stable: safe to `switch` on. */
export type ShareErrorCode = keyof typeof ERRORS

/** The HTTP status a code maps to; decided here once so no adapter picks one. */
export type ShareErrorStatus = (typeof ERRORS)[ShareErrorCode]['status']

export interface ShareErrorOptions {
  /**
   * A hint appended to the fixed message, for configuration and argument
   * errors only (e.g. which option is wrong). Never pass a secret, token or
   * cookie value here.
   */
  detail?: string
  cause?: unknown
}

/**
 * The only error @share/core throws. Branch on `code`, never on `message`.
 *
 * @example
 * ```ts
 * import { isShareError } from '@share/core'
 * try { await unsealSessionId(keyring, token, { audience }) }
 * catch (error) { if (isShareError(error) && error.code === 'ERR_TOKEN_EXPIRED') { ... } }
 * ```
 */
export class ShareError extends Error {
  readonly code: ShareErrorCode
  readonly status: ShareErrorStatus
  /**
   * What the developer needs to fix it (a refused origin, the key ids that
   * did not match, a measured clock skew): for logs, through `onError`.
   * Error pages never show it, except with `development: true`.
   */
  readonly detail: string | undefined

  constructor(code: ShareErrorCode, options: ShareErrorOptions = {}) {
    const base = ERRORS[code].message
    super(options.detail ? `${base}: ${options.detail}` : base, { cause: options.cause })
    this.name = 'ShareError'
    this.code = code
    this.status = ERRORS[code].status
    this.detail = options.detail
  }
}

/** True for a {@link ShareError}, even one from another copy of this package (ESM and CJS). */
export function isShareError(value: unknown): value is ShareError {
  if (!(value instanceof Error) || value.name !== 'ShareError') return false
  const code: unknown = (value as Error & { code?: unknown }).code
  return typeof code === 'string' && Object.hasOwn(ERRORS, code)
}

/** The HTTP status for a code: 4xx for what the request got wrong, 500 misconfiguration, 503 store down. */
export function errorStatus(code: ShareErrorCode): ShareErrorStatus {
  return ERRORS[code].status
}

/**
 * A store failure as `ERR_STORE_UNAVAILABLE` (503). The cause keeps only the
 * original error's name and first line: drivers attach the failed command,
 * with its keys and values (session ids), to their errors, and a logged
 * cause must not carry those.
 *
 * Exported from `@share/core` for store implementations.
 */
export function storeUnavailable(error: unknown, detail?: string): ShareError {
  if (isShareError(error)) return error
  const original = error instanceof Error ? error : new Error(String(error))
  const cause = new Error(original.message.split('\n', 1)[0]!.slice(0, 200))
  cause.name = original.name
  return new ShareError(
    'ERR_STORE_UNAVAILABLE',
    detail === undefined ? { cause } : { cause, detail },
  )
}

/** All codes, for documentation tables and exhaustive tests. */
export const SHARE_ERROR_CODES = Object.freeze(Object.keys(ERRORS)) as readonly ShareErrorCode[]
