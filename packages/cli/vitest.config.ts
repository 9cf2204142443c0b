import { mergeConfig } from 'vitest/config'
import { sharedTestConfig } from '../../vitest.shared.ts'

// The tests spawn the built bin: globalSetup builds it once (tsup) before any file runs.
export default mergeConfig(sharedTestConfig, {
  test: { globalSetup: ['test/global-setup.ts'], testTimeout: 60_000, hookTimeout: 120_000 },
})
