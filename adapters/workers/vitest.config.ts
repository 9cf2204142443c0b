import { cloudflareTest } from '@cloudflare/vitest-pool-workers'
import { mergeConfig } from 'vitest/config'
import { sharedTestConfig } from '../../vitest.shared.ts'

// Every test file runs inside workerd (Miniflare), not Node. The pool drops the `node`
// condition; the shared config still resolves workspace packages to their sources and
// writes .reports/vitest.json, which `npm test` sums.
export default mergeConfig(sharedTestConfig, {
  plugins: [
    cloudflareTest(({ inject }) => ({
      // The Durable Object store's class lives in this module, as in a Worker's main module.
      main: './test/do-worker.ts',
      miniflare: {
        compatibilityDate: '2026-04-26',
        compatibilityFlags: ['nodejs_compat'],
        kvNamespaces: ['SESSIONS_KV'],
        durableObjects: { SHARE_SESSIONS: { className: 'ShareSessions', useSQLite: true } },
        bindings: {
          UPSTASH_URL: inject('shimUrl'),
          UPSTASH_TOKEN: inject('shimToken'),
          STORE_PREFIX: inject('storePrefix'),
          PEER_URL: inject('peerUrl'),
        },
      },
    })),
  ],
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['./test/global-setup.ts'],
  },
})
