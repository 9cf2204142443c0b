import { mergeConfig } from 'vitest/config'
import { sharedTestConfig } from '../../vitest.shared.ts'

// Real servers: TTL tests sleep, so allow more time per test.
export default mergeConfig(sharedTestConfig, { test: { testTimeout: 60_000, hookTimeout: 60_000 } })
