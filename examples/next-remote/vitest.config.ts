import { mergeConfig } from 'vitest/config'
import { sharedTestConfig } from '../../vitest.shared.ts'

// Each test file builds the app once (`next build`) and starts it: one file at a time on 2 cores.
export default mergeConfig(sharedTestConfig, {
  test: { testTimeout: 60_000, hookTimeout: 180_000, fileParallelism: false },
})
