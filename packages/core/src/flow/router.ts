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
 * the common case (a page of the app, outside the routes' shared prefix such
 * as `/share/`, or of none of their lengths), no string built at all.
 */
export function createRoutes(table: Record<string, Route>): Routes {
  const routes = new Map(Object.entries(table))
  const lengths = new Set([...routes.keys()].map((path) => path.length))
  const prefix = commonPrefix([...routes.keys()])
  return {
    find(url) {
      const start = url.indexOf('/', url.indexOf('//') + 2)
      if (start < 0) return routes.get('/')
      if (!url.startsWith(prefix, start)) return undefined
      let end = url.indexOf('?', start)
      if (end < 0) end = url.length
      const hash = url.indexOf('#', start)
      if (hash >= 0 && hash < end) end = hash
      return lengths.has(end - start) ? routes.get(url.slice(start, end)) : undefined
    },
  }
}

/** The longest start every path shares ('' for none). */
function commonPrefix(paths: readonly string[]): string {
  if (paths.length === 0) return ''
  let prefix = paths[0]!
  for (const path of paths) {
    let i = 0
    while (i < prefix.length && i < path.length && prefix[i] === path[i]) i++
    prefix = prefix.slice(0, i)
  }
  return prefix
}
