// Session engine on the memory store: resolve() throughput and store calls per
// resolve, and list / revoke-all for users with 1, 100 and 1,000 sessions
// (time per session should stay flat: linear growth). Measures the built package.
import { createMemoryStore, createSessionEngine, generateSyncKey } from '@share/core'
import { it } from 'vitest'
import { runTable } from '../../../bench-table.ts'
import { countingStore } from '../src/session/test-helpers.ts'

async function averageMs(repeat: number, sample: () => Promise<number>): Promise<number> {
  let total = 0
  for (let i = 0; i < repeat; i++) total += await sample()
  return total / repeat
}

it('resolve, list and revoke-all on the memory store', async () => {
  const syncKey = generateSyncKey()
  const calls = { reads: 0, writes: 0 }
  const proxy = countingStore(createMemoryStore(), calls)
  const engine = createSessionEngine({ syncKey, store: proxy })
  const host = await engine.create({ userId: 'alice', user: { name: 'Alice' } })
  const audience = 'https://app-a.example.com'
  const remote = await engine.link({ hostSessionId: host.session.id, audience })
  const uncached = createSessionEngine({
    syncKey,
    store: proxy,
    session: { verifiedCookieCacheSize: 0 },
  })
  const sessions = new Map([[host.cookie, host.session.id]])

  await runTable(
    `resolve() on the memory store (Node ${process.version})`,
    [
      { name: 'floor: Map lookup of the cookie value', fn: async () => sessions.get(host.cookie) },
      { name: 'resolve host session', fn: () => engine.resolve(host.cookie) },
      {
        name: 'resolve linked session (child + parent)',
        fn: () => engine.resolve(remote.cookie, { audience }),
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

  console.log(
    '\n| sessions per user | list() ms | µs per session | revokeAll() ms | µs per session |',
  )
  console.log('| ---: | ---: | ---: | ---: | ---: |')
  for (const count of [1, 100, 1000]) {
    const scaled = createSessionEngine({ syncKey, store: createMemoryStore() })
    const fill = async () => {
      for (let i = 0; i < count; i++)
        await scaled.create({ userId: 'bob', client: { userAgent: `device ${i}` } })
    }
    await fill()
    const repeat = Math.max(3, Math.round(2000 / count))
    const listMs = await averageMs(repeat, async () => {
      const start = performance.now()
      await scaled.list('bob')
      return performance.now() - start
    })
    const revokeMs = await averageMs(Math.min(repeat, 20), async () => {
      await fill()
      const start = performance.now()
      await scaled.revokeAll('bob')
      return performance.now() - start
    })
    const perSession = (ms: number) => ((ms * 1000) / count).toFixed(2)
    console.log(
      `| ${count} | ${listMs.toFixed(3)} | ${perSession(listMs)} | ${revokeMs.toFixed(3)} | ${perSession(revokeMs)} |`,
    )
  }
})
