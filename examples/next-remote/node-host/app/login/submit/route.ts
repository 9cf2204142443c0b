// The host's own login: check the credentials, then core starts the host session and resumes
// the hand-off (`next`).
import { share, USERS } from '../../../lib/share'

export const dynamic = 'force-dynamic'

export async function POST(request: Request): Promise<Response> {
  const form = await request.clone().formData()
  const username = String(form.get('username') ?? '')
  const next = String(form.get('next') ?? '/')
  const user = Object.hasOwn(USERS, username) ? USERS[username] : undefined
  if (!user || user.password !== String(form.get('password') ?? '')) {
    const again = `/login?error=1&next=${encodeURIComponent(next)}`
    return new Response(null, { status: 303, headers: { location: again } })
  }
  return share.handler().signIn(request, { userId: username, user: { name: user.name }, next })
}
