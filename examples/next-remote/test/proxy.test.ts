// The same app's Node variant (node-proxy/): Next 16's proxy.ts on the Node runtime, with
// sessions in Redis over TCP (@share/store-redis), as the demo host keeps them.
import { join } from 'node:path'
import { APP_DIR } from './harness.ts'
import { describeNextRemote } from './suite.ts'

describeNextRemote({
  name: 'proxy.ts on Node, Redis',
  dir: join(APP_DIR, 'node-proxy'),
  ports: { next: 4302, host: 4320, a: 4321, b: 4322 },
  storeEnv: ({ redisUrl }) => ({ SHARE_STORE_URL: redisUrl }),
  extraPages: false,
})
