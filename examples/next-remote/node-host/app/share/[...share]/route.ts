// The host's endpoints: /share/authorize (the hand-off), /share/logout, /share/revoke...
import { shareRouteHandlers } from '@share/next'
import { share } from '../../../lib/share'

export const dynamic = 'force-dynamic'

export const { GET, POST } = shareRouteHandlers(share)
