// Sessions on Upstash over REST: for runtimes without TCP (Workers, Vercel Edge).
import { createSessionEngine } from '@share/core'
import { upstashStore } from '@share/store-upstash'

const env = process.env // on Workers: the `env` of your fetch handler
const store = upstashStore({
  url: env.UPSTASH_REDIS_REST_URL!, // https://<name>.upstash.io
  token: env.UPSTASH_REDIS_REST_TOKEN!,
  prefix: env.SHARE_STORE_PREFIX ?? 'myapp:',
})
const engine = createSessionEngine({ syncKey: env.SHARE_SYNC_KEY!, store })
const { cookie } = await engine.create({ userId: 'alice' })
const result = await engine.resolve(cookie)

export { result }
