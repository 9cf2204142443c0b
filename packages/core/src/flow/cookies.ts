/**
 * The two cookies of the protocol: the session cookie and the short-lived
 * state cookie. Hand-written rather than a library because core reads only
 * its own two names and must stay dependency-free and Web-only; the parser
 * is strict and bounded, and never throws.
 */

/** A Cookie header longer than this is ignored (browsers send at most ~8 KB per cookie). */
const MAX_COOKIE_HEADER = 16_384

export interface CookieSettings {
  /** Full name: `__Host-` prefixed when secure and host-only, `__Secure-` when secure with a Domain. */
  readonly name: string
  readonly secure: boolean
  /** `Lax` (the protocol's redirects need it) or `None` (embedded apps, Secure only). */
  readonly sameSite?: 'Lax' | 'None'
  /** Shared with subdomains of this domain; host-only when absent. */
  readonly domain?: string
}

/** Names are prefixed `__Host-` on https: the browser then refuses them from subdomains or over http. */
export function cookieSettings(baseName: string, secure: boolean): CookieSettings {
  return { name: secure ? `__Host-${baseName}` : baseName, secure }
}

/** The value of the first cookie called `name`, or undefined. Malformed pairs are skipped. */
export function readCookie(header: string | null, name: string): string | undefined {
  const value = findCookie(header, name)
  return value !== undefined && isCookieValue(value) ? value : undefined
}

/**
 * The first cookie called `name`, trimmed but not checked against our
 * alphabet: for the session cookie, whose value the engine checks in full
 * (an exact match in its verified-cookie cache, or the length, the id and
 * the MAC), so no request pays for a second character scan.
 */
export function findCookie(header: string | null, name: string): string | undefined {
  if (!header || header.length > MAX_COOKIE_HEADER) return undefined
  // Index arithmetic on the header itself, no slice until the answer: this runs on every request.
  let start = 0
  while (start < header.length) {
    const separator = header.indexOf(';', start)
    const end = separator < 0 ? header.length : separator
    const eq = header.indexOf('=', start)
    if (eq > 0 && eq < end) {
      const nameStart = skipSpace(header, start, eq)
      const nameEnd = trimEnd(header, nameStart, eq)
      if (nameEnd - nameStart === name.length && header.startsWith(name, nameStart)) {
        const valueStart = skipSpace(header, eq + 1, end)
        return header.slice(valueStart, trimEnd(header, valueStart, end))
      }
    }
    start = end + 1
  }
  return undefined
}

/** What `String.prototype.trim` removes, in the range a Cookie header can hold. */
function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0b || c === 0x0c || c === 0x0d
}

function skipSpace(text: string, from: number, to: number): number {
  while (from < to && isSpace(text.charCodeAt(from))) from++
  return from
}

function trimEnd(text: string, from: number, to: number): number {
  while (to > from && isSpace(text.charCodeAt(to - 1))) to--
  return to
}

/** Our values are base64url and dots only (1 to 4096 characters); anything else is not ours. */
export function isCookieValue(value: string): boolean {
  if (value.length === 0 || value.length > 4096) return false
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i)
    const ok =
      (c >= 0x61 && c <= 0x7a) ||
      (c >= 0x41 && c <= 0x5a) ||
      (c >= 0x30 && c <= 0x39) ||
      c === 0x2d ||
      c === 0x5f ||
      c === 0x2e
    if (!ok) return false
  }
  return true
}

/**
 * A Set-Cookie value: HttpOnly, SameSite=Lax, Path=/, Secure when the app is
 * on https. `maxAgeSec` undefined makes a browser-session cookie; 0 deletes.
 */
export function serializeCookie(
  settings: CookieSettings,
  value: string,
  maxAgeSec?: number,
): string {
  const parts = [
    `${settings.name}=${value}`,
    'Path=/',
    'HttpOnly',
    `SameSite=${settings.sameSite ?? 'Lax'}`,
  ]
  if (settings.domain) parts.push(`Domain=${settings.domain}`)
  if (settings.secure) parts.push('Secure')
  if (maxAgeSec !== undefined) parts.push(`Max-Age=${Math.max(0, Math.floor(maxAgeSec))}`)
  return parts.join('; ')
}

export function clearCookie(settings: CookieSettings): string {
  return serializeCookie(settings, '', 0)
}
