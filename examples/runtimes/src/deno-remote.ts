// The demo's remote A on Deno:
// `deno run --allow-net --allow-env --allow-read src/deno-remote.ts`, configured by SHARE_* and PORT.
import { remoteFromEnv } from './apps.mjs'

const env = Deno.env.toObject()
const { app } = await remoteFromEnv(env)
const port = Number(env.PORT ?? 4001)
Deno.serve({ port, hostname: '127.0.0.1', onListen() {} }, (request) => app.fetch(request))
console.log(`ready: remote on Deno at ${env.SHARE_APP_URL}`)
