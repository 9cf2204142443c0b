import type { ShareRequest } from './request.js'

/** One of Share's endpoints: a named protocol step that answers the request itself. */
export type Route = (request: ShareRequest) => Promise<Response>

/** The route table of a handler: exact paths to named steps. */
export interface Routes {
  /** The step for this request URL's path, or undefined for any other page of the app. */
  find(url: string): Route | undefined
}

/**
 * Matched once per request on the path alone, with no URL object and, for
 * the common case (a page of the app, whose path has none of the routes'
 * lengths), no string built at all. The path is scanned once, and no
 * further than the longest route.
 */
export function createRoutes(table: Record<string, Route>): Routes {
  const routes = new Map(Object.entries(table))
  const lengths = new Set([...routes.keys()].map((path) => path.length))
  const longest = Math.max(0, ...lengths)
  return {
    find(url) {
      const start = url.indexOf('/', authorityStart(url))
      if (start < 0) return routes.get('/')
      // The path ends at the query or the fragment, whichever comes first.
      let end = start + 1
      while (end < url.length && end - start <= longest) {
        const c = url.charCodeAt(end)
        if (c === 0x3f /* ? */ || c === 0x23 /* # */) break
        end++
      }
      return lengths.has(end - start) ? routes.get(url.slice(start, end)) : undefined
    },
  }
}

/** Where the host begins: after `http://` or `https://` (a request's URL is absolute), else after `//`. */
function authorityStart(url: string): number {
  if (url.startsWith('http://')) return 7
  if (url.startsWith('https://')) return 8
  return url.indexOf('//') + 2
}
