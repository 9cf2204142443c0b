import { libraryBuild } from '../../tsup.shared.ts'

// ESM only: the suite runs inside vitest, which is ESM-only itself.
export default libraryBuild({ format: ['esm'], external: ['vitest'] })
