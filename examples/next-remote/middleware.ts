// Runs on the edge runtime: Share's endpoints, the session read, /private protected.
import { share } from './lib/share'

export const middleware = share.middleware

export const config = {
  // Everything but Next's static files (which carry no user data).
  matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'],
}
