import { createSessionEngine, generateSyncKey, isShareError, type SessionEngine } from '@share/core'
import { type OpenedStore, storeFromUrl } from '@share/store-url'
import { CliError, type Io, usageError } from './io.js'

/** The options every store-using command takes. */
export interface StoreOptions {
  store?: string
  prefix?: string
}

export const STORE_HELP =
  'store URL (default: $SHARE_STORE_URL): redis://, rediss://, redis+cluster://h1:p1,h2:p2, upstash+https://host (token in $UPSTASH_REDIS_REST_TOKEN), fs:./dir'
export const PREFIX_HELP =
  "key prefix of the apps' store (default: $SHARE_STORE_PREFIX, else share:)"

/**
 * The store a command works on, connected. `memory:` is refused: the sessions
 * of an app's memory store live in that app's process, where no CLI can see them.
 */
export async function openStore(options: StoreOptions, io: Io): Promise<OpenedStore> {
  const url = options.store ?? io.env.SHARE_STORE_URL
  if (url === undefined || url.trim() === '') {
    throw usageError(
      'no store given: pass --store URL or set SHARE_STORE_URL (e.g. redis://127.0.0.1:6379 or fs:./sessions)',
    )
  }
  let opened: OpenedStore
  try {
    opened = storeFromUrl(url, { prefix: options.prefix ?? io.env.SHARE_STORE_PREFIX, env: io.env })
  } catch (error) {
    if (isShareError(error) && error.code === 'ERR_CONFIG_INVALID') {
      throw usageError(`--store: ${detailOf(error.message)}`)
    }
    throw error
  }
  if (opened.kind === 'memory') {
    await opened.close()
    throw usageError(
      "memory: cannot be used here: a memory store lives inside the app's own process, and a CLI cannot see another process's memory; point --store at the store your apps share (redis://, upstash+https://, fs:)",
    )
  }
  try {
    await opened.ready()
  } catch (error) {
    await opened.close()
    throw error
  }
  return opened
}

/** Runs `work` on an open store and always closes it. */
export async function withStore<T>(
  options: StoreOptions,
  io: Io,
  work: (opened: OpenedStore) => Promise<T>,
): Promise<T> {
  const opened = await openStore(options, io)
  try {
    return await work(opened)
  } finally {
    await opened.close()
  }
}

/**
 * The engine over a store, for listing, revoking and sweeping. Those never
 * seal or sign, so without SHARE_SYNC_KEY a throwaway key stands in; with it,
 * the key is checked. The CLI redeems no token, so a non-atomic store (fs) is fine.
 */
export function engineFor(opened: OpenedStore, io: Io): SessionEngine {
  const keys = readKeyList(io)
  return createSessionEngine({
    syncKey: keys.length > 0 ? keys : generateSyncKey(),
    store: opened.store,
    session: { allowNonAtomicStore: true },
  })
}

/** SHARE_SYNC_KEY split at commas, trimmed; empty when unset. */
export function readKeyList(io: Io): string[] {
  const text = io.env.SHARE_SYNC_KEY
  if (text === undefined || text.trim() === '') return []
  return text.split(',').map((key) => key.trim())
}

/** The detail of a ShareError message (after its fixed text), for one-line errors. */
export function detailOf(message: string): string {
  const at = message.indexOf(': ')
  return at >= 0 ? message.slice(at + 2) : message
}

export function failure(message: string): CliError {
  return new CliError(message, 1)
}
