// One benchmark server: the app of one setup (argv[2], JSON) in a process of its own, as an
// app runs in production, so no two variants share the JIT's feedback or the heap. Prints one
// `Ready` line on stdout; answers `cpu` over IPC with this process's CPU time so far.
import type { AddressInfo } from 'node:net'
import { expressApp, listenExpress } from './express.ts'
import { honoApp, listenHono } from './hono.ts'
import type { CpuReply, Ready, Setup } from './setup.ts'

const setup = JSON.parse(process.argv[2] ?? '{}') as Setup
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379'
const prefix = process.env.BENCH_PREFIX ?? `bench-${process.pid}:`

const built =
  setup.framework === 'hono'
    ? await honoApp(setup, redisUrl, prefix)
    : await expressApp(setup, redisUrl, prefix)
const server =
  setup.framework === 'hono'
    ? await listenHono(built.app as Parameters<typeof listenHono>[0])
    : await listenExpress(built.app as Parameters<typeof listenExpress>[0])
const { port } = server.address() as AddressInfo

let cookie = built.cookie
if (built.login) {
  // The peer's own sign-in, through the app: the cookie it sets.
  const response = await fetch(`http://127.0.0.1:${port}/login`, { method: 'POST' })
  cookie = response.headers.getSetCookie()[0]?.split(';')[0] ?? null
  if (response.status !== 200 || !cookie) throw new Error(`${setup.kind}: sign-in failed`)
}

process.on('message', (message) => {
  if (message !== 'cpu') return
  const used = process.cpuUsage()
  process.send?.({ cpuUs: used.user + used.system } satisfies CpuReply)
})
process.on('disconnect', () => process.exit(0))

const ready: Ready = { port, cookie, expected: built.expected ?? 'hello bench' }
console.log(JSON.stringify(ready))
