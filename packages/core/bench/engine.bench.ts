// Session engine on the memory store: resolve() throughput and store calls per
// resolve, and list / revoke-all for users with 1, 100 and 1,000 sessions
// (time per session should stay flat: linear growth). Measures the built package.
import { runTable } from '../../../scripts/bench-table.mjs'
import {
  createKeyring,
  createMemoryStore,
  createSessionEngine,
  generateSyncKey,
} from '../dist/index.js'

const keyring = await createKeyring(generateSyncKey())

/** A store wrapper counting calls, split into reads and writes. */
function counted(store) {
  const calls = { reads: 0, writes: 0 }
  const reads = new Set(['get', 'getMany', 'getWithParent', 'listUser', 'children'])
  const proxy = new Proxy(store, {
    get(target, property) {
      const value = target[property]
      if (typeof value !== 'function') return value
      return (...args) => {
        if (reads.has(property)) calls.reads++
        else calls.writes++
        return value.apply(target, args)
      }
    },
  })
  return { proxy, calls }
}

// resolve(): a live host session and a linked one, between touch intervals.
const { proxy, calls } = counted(createMemoryStore())
const engine = createSessionEngine({ keyring, store: proxy })
const host = await engine.create({ userId: 'alice', user: { name: 'Alice' } })
const remote = await engine.link({
  hostSessionId: host.session.id,
  audience: 'https://app-a.example.com',
})
const uncached = createSessionEngine({ keyring, store: proxy, verifiedCookieCacheSize: 0 })
const sessions = new Map([[host.cookie, host.session.id]])

await runTable(
  `resolve() on the memory store (Node ${process.version})`,
  [
    { name: 'floor: Map lookup of the cookie value', fn: async () => sessions.get(host.cookie) },
    { name: 'resolve host session', fn: () => engine.resolve(host.cookie) },
    {
      name: 'resolve linked session (child + parent)',
      fn: () => engine.resolve(remote.cookie, { audience: 'https://app-a.example.com' }),
    },
    { name: 'resolve host session, MAC cache off', fn: () => uncached.resolve(host.cookie) },
  ],
  { baseline: 'floor: Map lookup of the cookie value' },
)

Object.assign(calls, { reads: 0, writes: 0 })
const n = 10_000
for (let i = 0; i < n; i++) await engine.resolve(host.cookie)
console.log(
  `\nstore calls per resolve between touch intervals: ${calls.reads / n} reads, ${calls.writes / n} writes (${n} resolves)`,
)

// list and revoke-all at 1, 100 and 1,000 sessions per user.
async function timed(fn, repeat) {
  let total = 0
  for (let i = 0; i < repeat; i++) total += await fn()
  return total / repeat
}

console.log(
  '\n| sessions per user | list() ms | µs per session | revokeAll() ms | µs per session |',
)
console.log('| ---: | ---: | ---: | ---: | ---: |')
for (const count of [1, 100, 1000]) {
  const store = createMemoryStore()
  const scaled = createSessionEngine({ keyring, store })
  const fill = async () => {
    for (let i = 0; i < count; i++)
      await scaled.create({ userId: 'bob', client: { userAgent: `device ${i}` } })
  }
  await fill()
  const repeat = Math.max(3, Math.round(2000 / count))
  const listMs = await timed(async () => {
    const start = performance.now()
    await scaled.list('bob')
    return performance.now() - start
  }, repeat)
  const revokeMs = await timed(
    async () => {
      await fill()
      const start = performance.now()
      await scaled.revokeAll('bob')
      return performance.now() - start
    },
    Math.min(repeat, 20),
  )
  console.log(
    `| ${count} | ${listMs.toFixed(3)} | ${((listMs * 1000) / count).toFixed(2)} | ${revokeMs.toFixed(3)} | ${((revokeMs * 1000) / count).toFixed(2)} |`,
  )
}
