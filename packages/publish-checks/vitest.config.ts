import { mergeConfig } from 'vitest/config'
import { sharedTestConfig } from '../../vitest.shared.ts'

export default mergeConfig(sharedTestConfig, {
  test: { testTimeout: 180_000, hookTimeout: 180_000 },
})
