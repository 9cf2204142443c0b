import { libraryBuild } from '../../tsup.shared.ts'

export default libraryBuild({
  entry: ['src/index.ts', 'src/durable-object.ts'],
  external: ['cloudflare:workers'],
})
