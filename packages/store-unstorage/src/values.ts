import type { SessionRecord } from '@share/core/store'

/**
 * Reading what is stored. unstorage parses JSON-looking text on read
 * (destr), so a value may come back as text or already parsed, depending on
 * the driver; both are accepted. Anything unexpected (corrupted, truncated,
 * written by something else) reads as absent, never half-trusted.
 */

/** Text to a record, or null: the store's own `createRecordParser()`. */
export type ParseRecord = (text: unknown) => SessionRecord | null

/** A stored record, or `null`. */
export function toAnyRecord(value: unknown, parse: ParseRecord): SessionRecord | null {
  if (typeof value === 'string') return parse(value)
  if (value !== null && typeof value === 'object') return parse(JSON.stringify(value))
  return null
}

/** The record stored for `id`, or `null`: it must also carry that id. */
export function toRecord(value: unknown, id: string, parse: ParseRecord): SessionRecord | null {
  const record = toAnyRecord(value, parse)
  return record !== null && record.id === id ? record : null
}

/** A stored id list (user index, children), or `[]`; duplicates dropped. */
export function toIds(value: unknown): string[] {
  let parsed = value
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value)
    } catch {
      return []
    }
  }
  if (!Array.isArray(parsed) || !parsed.every((id) => typeof id === 'string')) return []
  return [...new Set(parsed as string[])]
}

/** A stored nonce expiry (epoch ms), or `null`. */
export function toExpiry(value: unknown): number | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : null
  if (typeof value === 'string' && /^\d{1,16}$/.test(value)) return Number(value)
  return null
}
