import { ShareError } from '../errors.js'

/**
 * Configuration read from the environment. The signing-in app is the
 * *host*: `SHARE_HOST_URL`, with `SHARE_IDP_URL` accepted as an alias for
 * users of the PHP bundle this descends from.
 */
interface EnvBase {
  /** `SHARE_SYNC_KEY`: one key, or several comma-separated (newest first) during a rotation. */
  syncKey: string[]
  /** `SHARE_APP_URL`: this app's public origin. */
  appUrl: string
}

/** What a remote reads: its own origin, the key, and the host's origin. */
export interface RemoteEnv extends EnvBase {
  /** `SHARE_HOST_URL` (or `SHARE_IDP_URL`): the host's public origin. */
  hostUrl: string
}

/** What the host reads: its own origin, the key, and the remotes it hands tokens to. */
export interface HostEnv extends EnvBase {
  /** `SHARE_KNOWN_REMOTES`: comma-separated origins allowed to receive tokens. */
  knownRemotes: string[]
}

/** Any environment object; only its string values are read (Workers' `env` also holds bindings). */
type Env = { readonly [name: string]: unknown }

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined)

const list = (value: unknown) =>
  (text(value) ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)

const KEYGEN_HINT =
  'make one with `node -e "import(\'@share/core\').then(m => console.log(m.generateSyncKey()))"`'

/**
 * Reads one role's settings from an environment object (`process.env`,
 * Workers' `env`, `Deno.env.toObject()`). A missing value throws
 * `ERR_CONFIG_INVALID` naming the variable and the fix; formats are then
 * checked by `createShareHost` / `createShareRemote`.
 *
 * Exported from `@share/core`.
 *
 * @example
 * ```ts
 * import { createMemoryStore, createShareRemote, fromEnv } from '@share/core'
 * const remote = createShareRemote({ ...fromEnv(process.env, 'remote'), store: createMemoryStore() })
 * ```
 */
export function fromEnv(env: Env, role: 'remote'): RemoteEnv
export function fromEnv(env: Env, role: 'host'): HostEnv
export function fromEnv(env: Env, role: 'host' | 'remote'): HostEnv | RemoteEnv {
  const problem = (detail: string) => new ShareError('ERR_CONFIG_INVALID', { detail })
  if (role !== 'host' && role !== 'remote') {
    throw problem(`fromEnv: role must be 'host' or 'remote'`)
  }
  const syncKey = list(env.SHARE_SYNC_KEY)
  if (syncKey.length === 0) throw problem(`SHARE_SYNC_KEY is not set; ${KEYGEN_HINT}`)
  const appUrl = text(env.SHARE_APP_URL)
  if (!appUrl) {
    throw problem(
      "SHARE_APP_URL is not set; give this app's public origin, e.g. https://app.example.com",
    )
  }
  const base = { syncKey, appUrl }
  if (role === 'host') {
    const knownRemotes = list(env.SHARE_KNOWN_REMOTES)
    if (knownRemotes.length === 0) {
      throw problem(
        'SHARE_KNOWN_REMOTES is not set; list the remotes allowed to sign in here, comma-separated, e.g. https://app-a.example.com,https://app-b.example.com',
      )
    }
    return { ...base, knownRemotes }
  }
  const hostUrl = text(env.SHARE_HOST_URL) ?? text(env.SHARE_IDP_URL)
  if (!hostUrl) {
    throw problem(
      "SHARE_HOST_URL is not set; give the host's public origin, e.g. https://login.example.com (SHARE_IDP_URL is read too)",
    )
  }
  return { ...base, hostUrl }
}
