import { libraryBuild } from '../../tsup.shared.ts'

// The bin and its programmatic entry, ESM only. The workspace packages are bundled from
// their sources (the `@share/source` condition), so the built bin runs without their dist;
// npm dependencies stay external.
export default libraryBuild({
  entry: { index: 'src/index.ts', cli: 'src/cli.ts' },
  format: ['esm'],
  dts: { entry: { index: 'src/index.ts' } },
  platform: 'node',
  banner: { js: '#!/usr/bin/env node' },
  noExternal: [/^@share\//],
  esbuildOptions(options) {
    options.conditions = ['@share/source', 'import', 'module', 'node']
  },
})
