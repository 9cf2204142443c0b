// The session API beyond sign-in: provisioning at a remote, updating the shared user, the JSON
// endpoint for single-page apps, and cookie options.
import { createMemoryStore, createShareHost, createShareRemote, generateSyncKey } from '@share/core'

const syncKey = process.env.SHARE_SYNC_KEY ?? generateSyncKey()
const store = createMemoryStore() // one process here; Redis or Upstash across processes
const localUsers = new Map<string, string>()

const host = createShareHost({
  syncKey,
  appUrl: 'https://login.example.com',
  knownRemotes: ['https://app.example.com'],
  store,
})
const remote = createShareRemote({
  syncKey,
  appUrl: 'https://app.example.com',
  hostUrl: 'https://login.example.com',
  store,
  // Shared with app.example.com's subdomains; `__Secure-` prefixed. Unsafe combinations refuse to start.
  cookie: { domain: 'app.example.com', sameSite: 'lax' },
  // Every user arriving by hand-off: create the app's own account. Throwing ends that session.
  onSignIn: (session) => {
    localUsers.set(session.userId, JSON.stringify(session.user))
  },
})

// After the user changed their name at the host: every remote sees it on its next request.
export async function rename(userId: string, name: string): Promise<number> {
  return host.updateUser(userId, { name })
}

// In the browser, a single-page app asks its own origin who is signed in (no token, no id in it):
//   const { session } = await (await fetch('/share/session')).json()
export async function whoIsSignedIn(cookieHeader: string) {
  const outcome = await remote.handle(
    new Request('https://app.example.com/share/session', { headers: { cookie: cookieHeader } }),
  )
  return outcome.type === 'respond'
    ? ((await outcome.response.json()) as { session: unknown })
    : null
}

export { host, localUsers, remote }
