// A Server Component of the host reads the host session.
import { share } from '../lib/share'

export const dynamic = 'force-dynamic'

export default async function Home() {
  const session = await share.getSession()
  return (
    <main>
      <h1>Next host</h1>
      {session ? (
        <p>
          Signed in as <span id="user">{session.userId}</span>.
        </p>
      ) : (
        <p id="anon">Not signed in.</p>
      )}
      <form method="post" action={share.handler().paths.logout}>
        <input type="hidden" name="everywhere" value="1" />
        <button type="submit">Log out everywhere</button>
      </form>
    </main>
  )
}
