// The demo's host and remote A in one Deno process on one memory store:
// `deno run --allow-net --allow-env --allow-read src/deno-pair.ts`, configured by SHARE_*, HOST_PORT and PORT.
import { nodeStyleBindings, pairFromEnv } from './apps.mjs'

const env = Deno.env.toObject()
const { host, remote } = await pairFromEnv(env)
const hostname = '127.0.0.1'
Deno.serve({ port: Number(env.HOST_PORT ?? 4000), hostname, onListen() {} }, (request, info) =>
  host.fetch(request, nodeStyleBindings(info.remoteAddr.hostname, info.remoteAddr.port)),
)
Deno.serve({ port: Number(env.PORT ?? 4001), hostname, onListen() {} }, (r) => remote.fetch(r))
console.log(`ready: host and remote on Deno at ${env.SHARE_HOST_URL}, ${env.SHARE_APP_URL}`)
