import { defineConfig } from 'vitest/config'

/**
 * Test settings every workspace package shares. The JSON report is what
 * `scripts/test.mjs` sums into the final `N passed, N failed` line.
 */
export const sharedTestConfig = defineConfig({
  test: {
    reporters: ['default', 'json'],
    outputFile: { json: '.reports/vitest.json' },
    restoreMocks: true,
    testTimeout: 20_000,
  },
})
