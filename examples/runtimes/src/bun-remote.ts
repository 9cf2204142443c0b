// The demo's remote A on Bun: `bun src/bun-remote.ts`, configured by SHARE_* and PORT.
import { Redis } from 'ioredis'
import { remoteFromEnv } from './apps.mjs'

const { app } = await remoteFromEnv(process.env, { Redis })
const port = Number(process.env.PORT ?? 4001)
Bun.serve({ port, hostname: '127.0.0.1', fetch: (request) => app.fetch(request) })
console.log(`ready: remote on Bun at ${process.env.SHARE_APP_URL}`)
