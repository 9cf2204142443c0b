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
 * lengths), no string built at all.
 */
export function createRoutes(table: Record<string, Route>): Routes {
  const routes = new Map(Object.entries(table))
  const lengths = new Set([...routes.keys()].map((path) => path.length))
  return {
    find(url) {
      const start = url.indexOf('/', url.indexOf('//') + 2)
      if (start < 0) return routes.get('/')
      let end = url.indexOf('?', start)
      if (end < 0) end = url.length
      const hash = url.indexOf('#', start)
      if (hash >= 0 && hash < end) end = hash
      return lengths.has(end - start) ? routes.get(url.slice(start, end)) : undefined
    },
  }
}
