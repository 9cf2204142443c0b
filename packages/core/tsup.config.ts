import { libraryBuild } from '../../tsup.shared.ts'

// Three entries: the app API, the store author's kit, the token primitives.
export default libraryBuild({ entry: ['src/index.ts', 'src/store.ts', 'src/token.ts'] })
