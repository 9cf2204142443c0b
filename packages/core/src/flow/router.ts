import type { ShareRequest } from './request.js'

/** One of Share's endpoints: a named protocol step that answers the request itself. */
export type Route = (request: ShareRequest) => Promise<Response>

/**
 * The route table of a handler: exact paths to named steps, matched once
 * per request on the path alone (no URL object for ordinary pages).
 */
export function createRoutes(table: Record<string, Route>): ReadonlyMap<string, Route> {
  return new Map(Object.entries(table))
}
