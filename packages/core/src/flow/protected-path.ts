/**
 * Which request paths a list of protected path prefixes covers, for
 * adapters that guard paths by a matcher rather than by route (Next's
 * middleware). A request path is compared in every form a router may serve
 * it as: any extra form can only protect more, never less, so no spelling
 * of a protected page (`//x`, `/X`, `/%78`, `/./x`, `/x/`, `/x;p`, a
 * `/_next/data/…/x.json` data route) reaches it unchecked.
 */

/** Protected path prefixes, or a predicate over the routed pathname. */
export type PathProtection = readonly string[] | ((pathname: string) => boolean)

/** `/_next/data/<build id>/`: Next's data route for a page, `<page>.json` after it. */
const DATA_ROUTE = ['_next', 'data'] as const

/**
 * A pathname as a router sees it, widened so that every spelling of a path
 * maps to one string: each segment percent-decoded (until stable, at most
 * three times), `;` parameters cut, empty and `.` segments dropped, `..`
 * applied, lower-cased.
 */
export function routedPath(pathname: string): string {
  const segments: string[] = []
  for (const raw of pathname.split('/')) {
    let segment = raw
    for (let i = 0; i < 3 && segment.includes('%'); i++) {
      try {
        segment = decodeURIComponent(segment)
      } catch {
        break
      }
    }
    // A decoded `%2f` splits the segment, as a router that decodes first would.
    for (const part of segment.split('/')) {
      const cut = part.split(';', 1)[0]!.toLowerCase()
      if (cut === '' || cut === '.') continue
      if (cut === '..') segments.pop()
      else segments.push(cut)
    }
  }
  return `/${segments.join('/')}`
}

/**
 * Every path `pathname` may be served as: its routed path; the page behind
 * each `/_next/data/<build>/` in it; and each of those without a `.json` or
 * `/index` ending. The first entry is always the routed path.
 */
export function routedPaths(pathname: string): string[] {
  const routed = routedPath(pathname)
  const found = new Set([routed])
  const segments = routed.split('/').slice(1)
  for (let i = 0; i + 2 < segments.length; i++) {
    if (segments[i] === DATA_ROUTE[0] && segments[i + 1] === DATA_ROUTE[1]) {
      found.add(`/${segments.slice(i + 3).join('/')}`)
    }
  }
  for (const path of [...found]) {
    const bare = path.endsWith('.json') ? path.slice(0, -'.json'.length) : path
    found.add(bare)
    if (bare === '/index' || bare.endsWith('/index')) found.add(bare.slice(0, -6) || '/')
  }
  return [...found]
}

/** True when `path` (routed) is `prefix` (routed) or under it, on whole segments. */
function isUnder(path: string, prefix: string): boolean {
  return prefix === '/' || path === prefix || path.startsWith(`${prefix}/`)
}

/**
 * A matcher made once from `protect`: given a request's pathnames (the full
 * one, and the framework's when it differs, as with a base path), true when
 * any form of any of them is protected. Prefixes match whole segments:
 * `/account` covers `/account` and `/account/x`, not `/accounts`. A
 * predicate is asked about every form and protects when it says yes to one.
 */
export function createPathMatcher(
  protect: PathProtection | undefined,
): (pathnames: readonly string[]) => boolean {
  if (typeof protect === 'function') {
    return (pathnames) =>
      pathnames.some((pathname) => routedPaths(pathname).some((path) => protect(path)))
  }
  const prefixes = (protect ?? []).map(routedPath)
  if (prefixes.length === 0) return () => false
  return (pathnames) =>
    pathnames.some((pathname) =>
      routedPaths(pathname).some((path) => prefixes.some((prefix) => isUnder(path, prefix))),
    )
}
