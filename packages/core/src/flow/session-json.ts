import { ShareError } from '../errors.js'
import { expiresAt } from '../session/record.js'
import type { ShareRequest } from './request.js'
import type { SessionReader } from './session-reader.js'

/**
 * `GET <basePath>/session`: the session as JSON for a single-page app,
 * `{ "session": null }` or `{ "session": { userId, user, expiresAt } }`.
 * No session id, handle or token in it. Safe from other sites: a GET with
 * no side effect and no CORS headers, so another origin cannot read it;
 * `nosniff` keeps it from being run as a script.
 */
export async function sessionJson(request: ShareRequest, reader: SessionReader): Promise<Response> {
  if (request.method !== 'GET') throw new ShareError('ERR_METHOD_NOT_ALLOWED')
  const { session, pending } = await reader.getSession(request)
  await pending
  const body = session && {
    userId: session.userId,
    user: session.user,
    // The earlier of the two: a linked session ends with its host session.
    expiresAt: Math.min(expiresAt(session.session), expiresAt(session.host)),
  }
  return new Response(JSON.stringify({ session: body }), {
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  })
}
