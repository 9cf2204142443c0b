// Next 16's proxy.ts: the same middleware on the Node runtime. Here Share's endpoints are
// served by a Route Handler (app/share/[...share]/route.ts), so the matcher leaves them out.
import { share } from './lib/share'

export const proxy = share.middleware

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico|share/).*)'],
}
