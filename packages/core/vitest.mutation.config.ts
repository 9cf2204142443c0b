import { defineConfig } from 'vitest/config'

/**
 * The test settings StrykerJS runs (`pnpm mutation`). Stryker copies this
 * package into a sandbox (`.stryker-tmp/`), where `../../vitest.shared.ts` does
 * not exist, so this file repeats what core's tests need from it and imports
 * nothing from outside the package. Keep the two in step.
 */
const conditions = ['@share/source', 'module', 'node', 'development|production']

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    restoreMocks: true,
    testTimeout: 20_000,
  },
})
