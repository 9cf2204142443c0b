import { mergeConfig } from 'vitest/config'
import { sharedTestConfig } from '../../vitest.shared.ts'

export default mergeConfig(sharedTestConfig, {
  // Packing and installing every package takes about 1 min alone, 2 min in a CI run, and went past
  // 3 min in one where Next.js built beside it on two cores: the limit is there for a hang.
  test: { testTimeout: 180_000, hookTimeout: 600_000 },
})
