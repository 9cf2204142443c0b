// Redis Cluster: every key of one user carries the user's tag, so each script stays in one slot.
import { redisStore } from '@share/store-redis'
import { Cluster } from 'ioredis'

const nodes = (process.env.REDIS_CLUSTER_NODES ?? '127.0.0.1:7000,127.0.0.1:7001').split(',')
const client = new Cluster(
  nodes.map((node) => ({ host: node.split(':')[0]!, port: Number(node.split(':')[1]) })),
  { lazyConnect: true }, // connects on the first command
)
export const store = redisStore({ client, prefix: 'myapp:' })
export { client }
