// A remote on nothing but Web-standard Request and Response: any runtime with `fetch` handlers.
import { createMemoryStore, createShareRemote, fromEnv } from '@share/core'

// SHARE_SYNC_KEY, SHARE_APP_URL (this app), SHARE_HOST_URL (the host). The store must be the
// one the host writes to (same backend, same prefix); the memory store only works in one process.
export const remote = createShareRemote({
  ...fromEnv(process.env, 'remote'),
  store: createMemoryStore(),
})
await remote.ready() // optional: derive the keys now, so a bad key fails at start-up

export async function fetch(request: Request): Promise<Response> {
  const outcome = await remote.handle(request)
  // Share's own endpoints (/share/login, /share/callback, /share/logout) and error pages.
  if (outcome.type === 'respond') return outcome.response
  await outcome.pending // the once-a-minute touch write; a Worker would pass it to waitUntil
  if (!outcome.session) return remote.loginRedirect(request)
  const response = new Response(`Hello ${outcome.session.userId}`)
  for (const [name, value] of outcome.headers) response.headers.append(name, value)
  return response
}

// Outside a middleware (a Server Component, a job): read the session from headers or cookies.
export async function whoIs(headers: Headers): Promise<string | null> {
  const { session, pending } = await remote.getSession(headers)
  await pending
  return session?.userId ?? null
}
