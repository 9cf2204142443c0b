import { defineConfig } from 'vitest/config'

/**
 * Test settings every workspace package shares. The JSON report is what
 * `scripts/test.mjs` sums into the final `N passed, N failed` line. The
 * `@share/source` condition resolves workspace packages to their TypeScript
 * sources, so tests need no build first.
 */
// Vite's own server defaults follow (`development|production` is its placeholder for the mode).
const conditions = ['@share/source', 'module', 'node', 'development|production']

export const sharedTestConfig = defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    // Stryker's sandboxes hold copies of the tests: never collect them.
    exclude: ['**/node_modules/**', '**/dist/**', '**/.stryker-tmp/**'],
    reporters: ['default', 'json'],
    outputFile: { json: '.reports/vitest.json' },
    restoreMocks: true,
    // Only a hang should fail on time. A property test that takes 2 s alone took 24 s when the
    // test command ran every package at once on two cores (CI of 2026-12-03), past 20 s.
    testTimeout: 60_000,
  },
})
