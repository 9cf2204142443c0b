import { mergeConfig } from 'vitest/config'
import { sharedTestConfig } from '../../vitest.shared.ts'

// Real runtimes and real Chromium: each flow takes a second or two.
export default mergeConfig(sharedTestConfig, {
  test: { testTimeout: 30_000, hookTimeout: 30_000 },
})
