// A Server Component: the session through next/headers' cookies(), one store read.
import { share } from '../lib/share'

export const dynamic = 'force-dynamic'

export default async function Home() {
  const session = await share.getSession()
  const name = (session?.user as { name?: string } | null)?.name
  return (
    <main>
      <h1>Next remote (proxy.ts, Node)</h1>
      {session ? (
        <p>
          Hello, {name ?? session.userId} (<span id="user">{session.userId}</span>).
        </p>
      ) : (
        <p id="anon">
          Not signed in. <a href="/share/login?return=/private">Sign in</a>
        </p>
      )}
      <p>
        <a href="/private">Private page</a>
      </p>
      <form method="post" action="/share/logout">
        <button type="submit">Log out</button>
      </form>
      <form method="post" action="/share/logout">
        <input type="hidden" name="everywhere" value="1" />
        <button type="submit">Log out everywhere</button>
      </form>
    </main>
  )
}
