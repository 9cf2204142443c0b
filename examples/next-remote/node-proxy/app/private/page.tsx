// Protected by the middleware alone (`protect: ['/private']` in lib/share.ts).
import { share } from '../../lib/share'

export const dynamic = 'force-dynamic'

export default async function Private() {
  const session = await share.getSession()
  return (
    <main>
      <h1 id="private-page">Private</h1>
      <p>
        Signed in as <span id="user">{session?.userId ?? 'nobody'}</span>.
      </p>
      <p>
        <a href="/">Home</a>
      </p>
    </main>
  )
}
