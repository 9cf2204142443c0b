// The host session on every page (and core's framing policy on every response); Share's own
// endpoints are the Route Handler's, so the matcher leaves them out.
import { share } from './lib/share'

export const proxy = share.middleware

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico|share/).*)'],
}
