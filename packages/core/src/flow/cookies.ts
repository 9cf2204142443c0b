/**
 * The two cookies of the protocol: the session cookie and the short-lived
 * state cookie. Hand-written rather than a library because core reads only
 * its own two names and must stay dependency-free and Web-only; the parser
 * is strict and bounded, and never throws.
 */

/** A Cookie header longer than this is ignored (browsers send at most ~8 KB per cookie). */
const MAX_COOKIE_HEADER = 16_384

export interface CookieSettings {
  /** Full name, `__Host-` prefixed when secure. */
  readonly name: string
  readonly secure: boolean
}

/** Names are prefixed `__Host-` on https: the browser then refuses them from subdomains or over http. */
export function cookieSettings(baseName: string, secure: boolean): CookieSettings {
  return { name: secure ? `__Host-${baseName}` : baseName, secure }
}

/** The value of the first cookie called `name`, or undefined. Malformed pairs are skipped. */
export function readCookie(header: string | null, name: string): string | undefined {
  if (!header || header.length > MAX_COOKIE_HEADER) return undefined
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=')
    if (eq < 0 || pair.slice(0, eq).trim() !== name) continue
    const value = pair.slice(eq + 1).trim()
    // Our values are base64url and dots only; anything else is not ours.
    return /^[A-Za-z0-9_.-]{1,4096}$/.test(value) ? value : undefined
  }
  return undefined
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
  const parts = [`${settings.name}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Lax']
  if (settings.secure) parts.push('Secure')
  if (maxAgeSec !== undefined) parts.push(`Max-Age=${Math.max(0, Math.floor(maxAgeSec))}`)
  return parts.join('; ')
}

export function clearCookie(settings: CookieSettings): string {
  return serializeCookie(settings, '', 0)
}
