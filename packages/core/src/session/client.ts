import { ShareError } from '../errors.js'
import type { ClientInfo, JsonValue } from './record.js'

/** Most bytes of user data a host session may share, as JSON. */
export const MAX_USER_DATA_BYTES = 8192
const MAX_USER_AGENT = 512
const MAX_IP = 64

/** The client as the engine's `clientInfo` setting allows it to be kept. */
export function clientRecord(
  client: { ip?: string | null | undefined; userAgent?: string | null | undefined } | undefined,
  mode: 'full' | 'truncated-ip' | 'none',
): ClientInfo | null {
  if (mode === 'none' || !client || typeof client !== 'object') return null
  const ip = typeof client.ip === 'string' && client.ip.length <= MAX_IP ? client.ip.trim() : null
  const userAgent =
    typeof client.userAgent === 'string' ? client.userAgent.slice(0, MAX_USER_AGENT) : null
  return { ip: ip && mode === 'truncated-ip' ? truncateIp(ip) : ip || null, userAgent }
}

/** IPv4 to its /24 (`203.0.113.0`), IPv6 to its /48 (`2001:db8:85a3::`); anything else dropped. */
export function truncateIp(ip: string): string | null {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.\d{1,3}$/.exec(ip)
  if (v4) return `${v4[1]}.${v4[2]}.${v4[3]}.0`
  if (ip.includes(':')) {
    const [head = ''] = ip.split('::')
    const groups = head.split(':').filter(Boolean)
    if (groups.length > 0 && groups.every((group) => /^[0-9a-f]{1,4}$/i.test(group))) {
      return `${groups.slice(0, 3).join(':')}::`
    }
  }
  return null
}

/**
 * The user data as a plain JSON copy (so a later change by the caller does
 * not reach the store), or a clear error when it is not JSON or too large.
 */
export function userData(user: unknown): JsonValue | null {
  if (user === undefined || user === null) return null
  let text: string | undefined
  try {
    text = JSON.stringify(user)
  } catch {
    text = undefined
  }
  if (text === undefined) {
    throw new ShareError('ERR_ARGUMENT_INVALID', { detail: 'user must be JSON-serializable data' })
  }
  if (new TextEncoder().encode(text).length > MAX_USER_DATA_BYTES) {
    throw new ShareError('ERR_ARGUMENT_INVALID', {
      detail: `user data is over ${MAX_USER_DATA_BYTES} bytes of JSON; share an id and look the rest up`,
    })
  }
  return JSON.parse(text) as JsonValue
}
