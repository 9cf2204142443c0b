import { defineConfig } from 'vitest/config'

/**
 * The test settings StrykerJS runs (`pnpm mutation`). Stryker copies this
 * package into a sandbox (`.stryker-tmp/`), where `../../vitest.shared.ts` does
 * not exist, so this file repeats what the tests need from it and imports
 * nothing from outside the package. Keep the two in step. The tests still
 * reach the shared Redis on 127.0.0.1:6379 (or REDIS_URL) and start their own
 * servers and cluster in the OS temp directory, so they run the same from the
 * sandbox.
 */
const conditions = ['@share/source', 'module', 'node', 'development|production']

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: ['test/**/*.test.ts'],
    restoreMocks: true,
    // Real servers: TTL tests sleep, so allow more time per test (as vitest.config.ts).
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
