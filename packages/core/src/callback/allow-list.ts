import { ShareError } from '../errors.js'
import { MAX_AUDIENCE_LENGTH } from '../token/format.js'
import { type CallbackCheck, parseCallbackUrl } from './parse.js'

export interface AllowListOptions {
  /**
   * Accept entries of the form `https://*.example.com`, matching any host
   * one or more labels below `example.com` (not `example.com` itself) with
   * the same scheme and port.
   *
   * > [!IMPORTANT]
   * > Every subdomain then receives sign-in tokens: only opt in when every
   * > subdomain, present and future, is yours. Never use a public suffix.
   *
   * @default false
   */
  allowSubdomainWildcards?: boolean
}

export interface AllowList {
  /** The exact origins and wildcard patterns accepted, normalized. */
  readonly entries: readonly string[]
  /**
   * Parses a callback and decides on its parsed form: the scheme, host and
   * port must equal an entry. On success, redirect to `result.url.href`,
   * never to the raw input.
   */
  check(url: string | URL): CallbackCheck
}

interface WildcardEntry {
  protocol: string
  /** `.example.com`: a matching hostname ends with it after a non-empty label. */
  suffix: string
  port: string
}

const WILDCARD_ENTRY = /^(https?:\/\/)\*\.(.*)$/i

/**
 * The origins allowed to receive sign-in tokens. A bad entry (empty list,
 * `*`, a path, credentials, plain http to a non-loopback host) throws
 * `ERR_CONFIG_INVALID` here, so a misconfigured app fails at start-up
 * instead of running open.
 *
 * Exported from `@share/core`.
 *
 * @example
 * ```ts
 * import { createAllowList } from '@share/core'
 * const allowList = createAllowList(['https://app-a.example.com', 'https://app-b.example.org'])
 * const result = allowList.check(callbackUrl)
 * if (!result.ok) return new Response(result.code, { status: 400 })
 * ```
 */
export function createAllowList(
  entries: readonly string[],
  options: AllowListOptions = {},
): AllowList {
  if (!Array.isArray(entries) || entries.length === 0) {
    throw configError(
      'the allow-list is empty; list each remote origin, e.g. https://app.example.com',
    )
  }
  const exact = new Set<string>()
  const wildcards: WildcardEntry[] = []
  for (const entry of entries) {
    const wildcard = typeof entry === 'string' ? WILDCARD_ENTRY.exec(entry) : null
    if (wildcard) {
      if (!options.allowSubdomainWildcards) {
        throw configError(
          `"${entry}" is a wildcard; pass { allowSubdomainWildcards: true } to accept every subdomain`,
        )
      }
      wildcards.push(parseWildcard(entry, `${wildcard[1]}${wildcard[2]}`))
    } else {
      exact.add(parseOrigin(entry, 'allow-list').origin)
    }
  }
  const normalized = [
    ...exact,
    ...wildcards.map((w) => `${w.protocol}//*${w.suffix}${w.port ? `:${w.port}` : ''}`),
  ]
  return Object.freeze({
    entries: Object.freeze(normalized),
    check(url: string | URL): CallbackCheck {
      const parsed = parseCallbackUrl(url instanceof URL ? url.href : url)
      if (!parsed.ok) return parsed
      const { origin, protocol, hostname, port } = parsed.url
      if (exact.has(origin)) return parsed
      for (const w of wildcards) {
        if (
          protocol === w.protocol &&
          port === w.port &&
          hostname.endsWith(w.suffix) &&
          hostname.length > w.suffix.length &&
          !hostname.startsWith('.') &&
          !hostname.includes('..')
        ) {
          return parsed
        }
      }
      const detail = `the callback origin ${JSON.stringify(origin)} (scheme ${protocol.slice(0, -1)}) is not in knownRemotes (SHARE_KNOWN_REMOTES): ${normalized.join(', ')}`
      return { ok: false, code: 'ERR_CALLBACK_NOT_ALLOWED', detail }
    },
  })
}

/**
 * An origin from configuration, spelled exactly as its serialization (a
 * trailing `/` is tolerated); http only for loopback hosts. Throws
 * `ERR_CONFIG_INVALID` naming `label` and the fix.
 */
export function parseOrigin(entry: unknown, label: string): URL {
  const configError = (detail: string) =>
    new ShareError('ERR_CONFIG_INVALID', { detail: `${label}: ${detail}` })
  if (typeof entry !== 'string' || entry === '') {
    throw configError('every entry must be a non-empty origin string')
  }
  if (entry.trim() === '*') throw configError('"*" would allow every site; list each origin')
  if (entry.includes('*')) {
    throw configError(`"${entry}" has a "*" outside the leading "*." of a wildcard entry`)
  }
  // `host.localhost:5100` parses as a URL with scheme `host.localhost:`: say what is missing.
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(entry.trimStart())) {
    const host = entry.replace(/^\/+/, '')
    throw configError(
      `"${entry}" has no scheme; write it as https://${host} (or http://${host} on a loopback host)`,
    )
  }
  let url: URL
  try {
    url = new URL(entry)
  } catch {
    throw configError(`"${entry}" is not a URL; write an origin such as https://app.example.com`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw configError(`"${entry}" must use https (or http for a loopback host)`)
  }
  if (url.username || url.password) throw configError(`"${entry}" must not contain credentials`)
  const spelled = entry.endsWith('/') ? entry.slice(0, -1) : entry
  if (spelled.toLowerCase() !== url.origin) {
    throw configError(`"${entry}" is not a bare origin; write it as ${url.origin}`)
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw configError(`"${entry}" uses plain http on a non-loopback host; use https`)
  }
  if (url.hostname.endsWith('.')) {
    throw configError(`"${entry}" ends with a dot; write the host without it`)
  }
  if (url.origin.length > MAX_AUDIENCE_LENGTH) {
    throw configError(`"${entry}" is longer than ${MAX_AUDIENCE_LENGTH} characters`)
  }
  return url
}

function parseWildcard(entry: string, base: string): WildcardEntry {
  const url = parseOrigin(base, 'allow-list')
  const labels = url.hostname.split('.')
  const isIp = /^\d+$/.test(labels.at(-1) ?? '') || url.hostname.startsWith('[')
  if (isIp || (labels.length < 2 && url.hostname !== 'localhost')) {
    throw configError(`"${entry}" is too broad; a wildcard needs a registrable domain below it`)
  }
  return { protocol: url.protocol, suffix: `.${url.hostname}`, port: url.port }
}

/** Hosts a browser treats as this machine: plain http is only allowed for these. */
export function isLoopbackHost(hostname: string): boolean {
  return (
    hostname === 'localhost' ||
    hostname.endsWith('.localhost') ||
    hostname === '127.0.0.1' ||
    hostname === '[::1]'
  )
}

function configError(detail: string): ShareError {
  return new ShareError('ERR_CONFIG_INVALID', { detail: `allow-list: ${detail}` })
}
