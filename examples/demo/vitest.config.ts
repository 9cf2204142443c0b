import { mergeConfig } from 'vitest/config'
import { sharedTestConfig } from '../../vitest.shared.ts'

// Real Chromium: browser flows take seconds each.
export default mergeConfig(sharedTestConfig, { test: { testTimeout: 60_000, hookTimeout: 60_000 } })
