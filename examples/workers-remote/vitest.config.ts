import { mergeConfig } from 'vitest/config'
import { sharedTestConfig } from '../../vitest.shared.ts'

export default mergeConfig(sharedTestConfig, { test: { hookTimeout: 60_000, testTimeout: 30_000 } })
