// The demo's host and remote A in one Bun process on one memory store:
// `bun src/bun-pair.ts`, configured by SHARE_*, HOST_PORT and PORT.
import { nodeStyleBindings, pairFromEnv } from './apps.mjs'

const { host, remote } = await pairFromEnv(process.env)
const hostname = '127.0.0.1'
Bun.serve({
  port: Number(process.env.HOST_PORT ?? 4000),
  hostname,
  fetch: (request, server) => {
    const ip = server.requestIP(request)
    return host.fetch(request, nodeStyleBindings(ip?.address, ip?.port))
  },
})
Bun.serve({ port: Number(process.env.PORT ?? 4001), hostname, fetch: (r) => remote.fetch(r) })
console.log(
  `ready: host and remote on Bun at ${process.env.SHARE_HOST_URL}, ${process.env.SHARE_APP_URL}`,
)
