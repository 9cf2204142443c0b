// Node side of the workerd tests, run as a child process by global-setup.ts: the Upstash shim
// over the real Redis (the Worker's store, reached over loopback from workerd) and a Node peer
// that seals and opens tokens, so tests inside workerd can check tokens cross runtimes.
// Prints one JSON line with the addresses; on SIGTERM deletes this run's keys and exits.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createKeyring, sealSessionId, unsealSessionId } from '@share/core/token'
import { Redis } from 'ioredis'
import { deleteKeysUnder } from '../../../packages/store-redis/test/servers.ts'
import { startUpstashShim } from '../../../packages/store-upstash/test/shim/upstash-shim.ts'
import { CROSS_AUDIENCE, CROSS_KEY } from './cross-runtime.ts'

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
const storePrefix = `share-workers-test-${process.pid}-${Date.now()}:`
const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 })
const shim = await startUpstashShim({ redisUrl })
const keyring = await createKeyring(CROSS_KEY)

/** POST /seal {sessionId, state} → a token sealed on Node; POST /open {token, state} → its claims. */
const peer = createServer(async (req, res) => {
  let body = ''
  for await (const chunk of req) body += chunk
  try {
    const input = JSON.parse(body) as { sessionId?: string; state?: string; token?: string }
    const options = { audience: CROSS_AUDIENCE, state: input.state }
    const result =
      req.url === '/seal'
        ? {
            token: await sealSessionId(keyring, { ...options, sessionId: String(input.sessionId) }),
          }
        : await unsealSessionId(keyring, String(input.token), options)
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result))
  } catch (error) {
    res.writeHead(400).end(JSON.stringify({ error: (error as { code?: string }).code ?? 'bad' }))
  }
})
await new Promise<void>((resolve) => peer.listen(0, '127.0.0.1', resolve))

process.stdout.write(
  `${JSON.stringify({
    shimUrl: shim.url,
    shimToken: shim.token,
    storePrefix,
    peerUrl: `http://127.0.0.1:${(peer.address() as AddressInfo).port}`,
  })}\n`,
)

process.once('SIGTERM', async () => {
  await deleteKeysUnder(redis, storePrefix)
  redis.disconnect()
  await shim.close()
  peer.close()
  process.exit(0)
})
