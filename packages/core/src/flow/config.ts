import * as v from 'valibot'
import { isLoopbackHost, parseOrigin } from '../callback/allow-list.js'
import { ShareError } from '../errors.js'
import { MAX_TOKEN_TTL_SEC } from '../token/format.js'
import { MAX_LEEWAY_SEC } from '../token/seal.js'
import { safeLocalPath } from './http.js'

/**
 * Configuration read from the environment, under the names a user of the
 * PHP original looks for. Validated at start-up: a missing or malformed
 * value throws `ERR_CONFIG_INVALID` naming the variable and the fix.
 */
export interface ShareEnv {
  /** `SHARE_SYNC_KEY`: one key, or several comma-separated (newest first) during a rotation. */
  syncKey: string[]
  /** `SHARE_APP_URL`: this app's public origin. */
  appUrl: string
  /** `SHARE_IDP_URL`: the host's public origin (remotes need it). */
  idpUrl?: string
  /** `SHARE_KNOWN_REMOTES`: comma-separated origins allowed to receive tokens (the host needs it). */
  knownRemotes?: string[]
}

const list = (text: string | undefined) =>
  (text ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)

/**
 * Reads Share's settings from an environment object (`process.env`,
 * Workers' `env`, `Deno.env.toObject()`).
 *
 * Exported from `@share/core`.
 *
 * @example
 * ```ts
 * import { createShareRemote, fromEnv, createMemoryStore } from '@share/core'
 * const remote = await createShareRemote({ ...fromEnv(process.env), store: createMemoryStore() })
 * ```
 */
export function fromEnv(env: Record<string, string | undefined>): ShareEnv {
  const problem = (detail: string) => new ShareError('ERR_CONFIG_INVALID', { detail })
  const syncKey = list(env.SHARE_SYNC_KEY)
  if (syncKey.length === 0) {
    throw problem(
      'SHARE_SYNC_KEY is not set; make a key with `npm run keygen` (or generateSyncKey() from @share/core)',
    )
  }
  if (!env.SHARE_APP_URL)
    throw problem(
      "SHARE_APP_URL is not set; give this app's public origin, e.g. https://app.example.com",
    )
  const result: ShareEnv = { syncKey, appUrl: env.SHARE_APP_URL }
  if (env.SHARE_IDP_URL) result.idpUrl = env.SHARE_IDP_URL
  const remotes = list(env.SHARE_KNOWN_REMOTES)
  if (remotes.length > 0) result.knownRemotes = remotes
  return result
}

/** A public origin from configuration, normalized; http only on loopback hosts. */
export function configOrigin(value: unknown, name: string): string {
  return parseOrigin(value, name).origin
}

/** True when cookies for this origin must be Secure (anything but http on a loopback host). */
export function isSecureOrigin(origin: string): boolean {
  const url = new URL(origin)
  return !(url.protocol === 'http:' && isLoopbackHost(url.hostname))
}

const path = (label: string) =>
  v.pipe(
    v.string(`${label} must be a path`),
    v.check(
      (value) => safeLocalPath(value, '') === value,
      `${label} must be a local path starting with one /`,
    ),
  )

/** Options common to host and remote handlers, after defaults. */
export const HandlerOptionsSchema = v.object({
  basePath: v.optional(
    v.pipe(
      v.string(),
      v.regex(
        /^\/[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*$/,
        'basePath must look like /share (no trailing slash)',
      ),
    ),
    '/share',
  ),
  cookieName: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^[A-Za-z0-9_-]{1,64}$/, 'cookieName must be 1 to 64 letters, digits, _ or -'),
    ),
    'share_session',
  ),
  afterLogoutPath: v.optional(path('afterLogoutPath'), '/'),
  tokenTtlSec: v.optional(
    v.pipe(
      v.number(),
      v.integer(),
      v.minValue(1),
      v.maxValue(MAX_TOKEN_TTL_SEC, `tokenTtlSec must be at most ${MAX_TOKEN_TTL_SEC}`),
    ),
    60,
  ),
  tokenLeewaySec: v.optional(
    v.pipe(
      v.number(),
      v.minValue(0),
      v.maxValue(MAX_LEEWAY_SEC, `tokenLeewaySec must be at most ${MAX_LEEWAY_SEC}`),
    ),
    5,
  ),
  loginPath: v.optional(path('loginPath'), '/login'),
  sessionsPath: v.optional(path('sessionsPath'), '/sessions'),
})

export type HandlerOptions = v.InferOutput<typeof HandlerOptionsSchema>

/** Validates handler options; throws `ERR_CONFIG_INVALID` listing every problem. */
export function readHandlerOptions(options: unknown, label: string): HandlerOptions {
  const result = v.safeParse(HandlerOptionsSchema, options ?? {})
  if (result.success) return result.output
  const problems = result.issues.map((issue) => issue.message)
  throw new ShareError('ERR_CONFIG_INVALID', { detail: `${label}: ${problems.join('; ')}` })
}
