import { defineConfig } from 'tsup'

// ESM only: the suite runs inside vitest, which is ESM-only itself.
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  external: ['vitest'],
})
