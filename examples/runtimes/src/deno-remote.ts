// The demo's remote A on Deno, configured by SHARE_* and PORT:
// `deno run --allow-net --allow-env --allow-read src/deno-remote.ts`.
// ioredis through an npm: specifier: in this workspace Deno finds it in node_modules.
import { Redis } from 'npm:ioredis@5.9.2'
import { remoteFromEnv } from './apps.mjs'

const env = Deno.env.toObject()
const { app } = await remoteFromEnv(env, { Redis })
const port = Number(env.PORT ?? 4001)
Deno.serve({ port, hostname: '127.0.0.1', onListen() {} }, (request) => app.fetch(request))
console.log(`ready: remote on Deno at ${env.SHARE_APP_URL}`)
