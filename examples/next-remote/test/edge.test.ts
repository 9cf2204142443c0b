// The example app: middleware.ts on the edge runtime, sessions over Upstash's REST API
// (the shim over the test Redis), Server Components, a Route Handler and a Server Action.
import { APP_DIR } from './harness.ts'
import { describeNextRemote } from './suite.ts'

describeNextRemote({
  name: 'middleware.ts on the edge, Upstash',
  dir: APP_DIR,
  ports: { next: 4301, host: 4310, a: 4311, b: 4312 },
  storeEnv: ({ upstash }) => ({
    UPSTASH_REDIS_REST_URL: upstash.url,
    UPSTASH_REDIS_REST_TOKEN: upstash.token,
  }),
  extraPages: true,
})
