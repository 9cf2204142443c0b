import { defineConfig } from 'vitest/config'

/**
 * `pnpm bench`: benchmark files run as one long task each, printing their
 * own tables (see bench-table.ts). Never part of the test command.
 */
export const sharedBenchConfig = defineConfig({
  test: {
    include: ['bench/**/*.bench.ts'],
    testTimeout: 20 * 60_000,
    hookTimeout: 5 * 60_000,
    disableConsoleIntercept: true,
    fileParallelism: false,
    reporters: ['dot'],
  },
})
