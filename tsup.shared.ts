import { defineConfig, type Options } from 'tsup'

/**
 * How every published package builds: ESM + CJS + declarations from
 * src/index.ts (one rule for all: Express users still need CJS).
 */
export function libraryBuild(overrides: Options = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'es2022',
    ...overrides,
  })
}
