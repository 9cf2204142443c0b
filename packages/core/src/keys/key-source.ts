import { deriveKeyring, type Keyring, parseKeys } from './keyring.js'

/**
 * A keyring derived on first use. The keys are checked when the source is
 * made (no crypto, so it can run at module scope, or per request on
 * Workers where secrets arrive in `env`); HKDF and `importKey` run once, on
 * the first request that needs a key, and every later caller shares the
 * result.
 */
export interface KeySource {
  /** The derived keyring, once `load()` has finished; undefined before. */
  readonly loaded: Keyring | undefined
  /** The keyring, deriving it the first time. */
  load(): Promise<Keyring>
}

/** Checks the keys now (throwing `ERR_KEY_INVALID`), derives them later. */
export function createKeySource(keys: string | readonly string[]): KeySource {
  const secrets = parseKeys(keys)
  let pending: Promise<Keyring> | undefined
  const source = {
    loaded: undefined as Keyring | undefined,
    load(): Promise<Keyring> {
      pending ??= deriveKeyring(secrets).then((keyring) => {
        source.loaded = keyring
        return keyring
      })
      return pending
    },
  }
  return source
}
