import { sharedBenchConfig } from '../../vitest.bench.shared.ts'

export default sharedBenchConfig
