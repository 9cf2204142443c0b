// Share's endpoints (/share/login, /share/callback, /share/logout) as a Route Handler.
import { shareRouteHandlers } from '@share/next'
import { share } from '../../../lib/share'

export const dynamic = 'force-dynamic'

export const { GET, POST } = shareRouteHandlers(share)
