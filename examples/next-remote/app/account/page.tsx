// Not in the middleware's `protect` list: the page checks for itself with requireSession.
import { redirect } from 'next/navigation'
import { share } from '../../lib/share'

export const dynamic = 'force-dynamic'

export default async function Account() {
  const session = await share.requireSession('/account')
  return (
    <main>
      <h1 id="account-page">Account</h1>
      <p>
        Your user id: <span id="user">{session.userId}</span>
      </p>
      <form action={whoAmI}>
        <button type="submit">Ask a Server Action</button>
      </form>
    </main>
  )
}

/** A Server Action reads the session the same way. */
async function whoAmI() {
  'use server'
  const session = await share.getSession()
  redirect(`/action?user=${encodeURIComponent(session?.userId ?? 'anon')}`)
}
