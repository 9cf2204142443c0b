import { build } from 'tsup'
import config from '../tsup.config.ts'
import { BIN_DIR } from './bin.ts'

/** Builds the bin once for every test file, with the package's own tsup config (no types). */
export default async function setup(): Promise<void> {
  const options = Array.isArray(config) ? config[0] : config
  if (typeof options !== 'object' || options === null) throw new Error('unexpected tsup config')
  await build({
    ...options,
    config: false,
    entry: { cli: 'src/cli.ts' },
    outDir: BIN_DIR,
    dts: false,
    sourcemap: false,
    silent: true,
  })
}
