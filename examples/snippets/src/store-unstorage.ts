// Sessions through any unstorage driver, here files on disk. Not atomic across processes.
import { createSessionEngine } from '@share/core'
import { unstorageStore } from '@share/store-unstorage'
import { createStorage } from 'unstorage'
import fsDriver from 'unstorage/drivers/fs'

const base = process.env.SESSIONS_DIR ?? './.data/sessions'
const storage = createStorage({ driver: fsDriver({ base }) })
const store = unstorageStore({ storage, prefix: 'myapp:' })

const engine = createSessionEngine({
  syncKey: process.env.SHARE_SYNC_KEY!,
  store,
  session: { allowNonAtomicStore: true }, // required: see "Not atomic"
})

const { cookie } = await engine.create({ userId: 'alice', user: { name: 'Alice' } })
const result = await engine.resolve(cookie)
if (result.ok) console.log(result.userId) // alice

// The fs driver has no TTL: remove expired sessions now and then (see "Sweep").
const sweeper = setInterval(() => engine.sweep().catch(console.error), 10 * 60_000)
sweeper.unref() // never keeps the process alive by itself

export { result, storage, sweeper }
