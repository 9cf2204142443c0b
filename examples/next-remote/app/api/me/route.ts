// A Route Handler: the session from the request itself.
import { share } from '../../../lib/share'

export const dynamic = 'force-dynamic'

export async function GET(request: Request): Promise<Response> {
  const session = await share.getSession(request)
  return Response.json({ userId: session?.userId ?? null })
}
