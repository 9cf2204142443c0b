import { ShareError } from '@share/core'
import { encodeBase64url } from '@share/core/store'
import { base64urlLength, sha256, wtf8 } from './encoding.js'

/**
 * Storage keys. Every item lives under the prefix:
 *
 * ```
 * <prefix>s:<id>       a serialized session record
 * <prefix>u:<userId>   JSON array: ids of the user's host records
 * <prefix>c:<id>       JSON array: ids of a host record's linked records
 * <prefix>n:<key>      a nonce: its expiry in epoch milliseconds
 * ```
 *
 * Drivers give `:` meaning (fs and others make it a directory, `?` ends a
 * key, `..` would climb out of the base, Redis globs see `*` and `[`), so
 * every variable part is encoded into one safe segment, injectively:
 * - text matching `[A-Za-z0-9_-]{1,100}` stays as it is (engine ids do);
 * - anything else is `~` + base64url of its WTF-8 bytes (no `~` can appear
 *   in plain text, so the two forms never meet);
 * - when that is longer than 100 characters: `~h` + base64url(SHA-256). A
 *   base64url text of UTF-8 never starts with `h`: that would need a first
 *   byte 0x84-0x87, a continuation byte, which never starts a character.
 */

const PLAIN = /^[A-Za-z0-9_-]{1,100}$/
const MAX_PART_LENGTH = 100

/** One key segment for any text; see the module comment for why it is safe and injective. */
export async function keyPart(text: string): Promise<string> {
  if (typeof text !== 'string') {
    throw new ShareError('ERR_ARGUMENT_INVALID', {
      detail: 'unstorage store: ids, user ids and nonce keys must be strings',
    })
  }
  if (PLAIN.test(text)) return text
  const bytes = wtf8(text)
  if (1 + base64urlLength(bytes.length) <= MAX_PART_LENGTH) return `~${encodeBase64url(bytes)}`
  return `~h${encodeBase64url(await sha256(bytes))}`
}

/**
 * The key base for a prefix: split at `:`, empty segments dropped, each
 * segment encoded like any key part, each followed by `:`. So `share:` stays
 * `share:`, while `app/*[x]:` cannot reach outside its own segment.
 */
export async function keyBase(prefix: string): Promise<string> {
  const segments = prefix.split(':').filter((segment) => segment !== '')
  const encoded = await Promise.all(segments.map(keyPart))
  return encoded.map((segment) => `${segment}:`).join('')
}

export type ItemKind = 's' | 'u' | 'c' | 'n'

export interface Keys {
  record(id: string): Promise<string>
  user(userId: string): Promise<string>
  children(id: string): Promise<string>
  nonce(key: string): Promise<string>
  /** Where sweep lists one kind, and whether a listed key is an item of exactly that kind. */
  listing(kind: 's' | 'n'): Promise<{ base: string; owns(key: string): boolean }>
}

export function createKeys(prefix: string): Keys {
  // Computed once; a long prefix segment needs an (async) digest.
  const base = keyBase(prefix)
  const item = async (kind: ItemKind, text: string) => `${await base}${kind}:${await keyPart(text)}`
  return {
    record: (id) => item('s', id),
    user: (userId) => item('u', userId),
    children: (id) => item('c', id),
    nonce: (key) => item('n', key),
    async listing(kind) {
      const under = `${await base}${kind}:`
      // Only direct items: a store whose prefix nests under ours (e.g. `share:s:x:`)
      // has longer keys in the same listing, and they are not ours.
      return {
        base: under,
        owns: (key) => key.startsWith(under) && !key.includes(':', under.length),
      }
    },
  }
}
