// The session engine on its own (operators' tools, tests): the handlers build one for you.
import { createMemoryStore, createSessionEngine, generateSyncKey } from '@share/core'

const engine = createSessionEngine({
  syncKey: process.env.SHARE_SYNC_KEY ?? generateSyncKey(),
  store: createMemoryStore(), // one process; Redis or Upstash for several
  session: { idleTimeoutSec: 1800, absoluteLifetimeSec: 43_200 }, // the defaults, spelled out
  onEvent: (event) => console.log(event.type),
})

const { session, cookie } = await engine.create({ userId: 'alice', user: { name: 'Alice' } })
const result = await engine.resolve(cookie) // one store read; a write at most once a minute
if (result.ok) console.log(result.userId, result.user) // alice { name: 'Alice' }
const devices = await engine.list('alice', session) // devices, by handle, never by id
const ended = await engine.revokeAll('alice') // logout everywhere: every device, every app

export { devices, ended, result }
