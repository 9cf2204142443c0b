// `pnpm --filter @share/example-workers-remote demo`: the demo's host and remotes on Redis, and
// this Worker under wrangler dev joined to them (scripts/demo.ts). Node 20 cannot run
// TypeScript, so the script is bundled first: the workspace packages from their sources (no
// build needed), every other package left to Node at its resolved path.
import { mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { build } from 'esbuild'

const packageDir = fileURLToPath(new URL('..', import.meta.url))
const outfile = join(packageDir, 'node_modules', '.cache', 'share-workers-demo', 'demo.mjs')
mkdirSync(dirname(outfile), { recursive: true })

/** Bare imports outside the workspace stay imports, of the file the bundler resolved them to. */
const externalDependencies = {
  name: 'external-dependencies',
  setup(bundler) {
    bundler.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.path.startsWith('@share/') || args.pluginData === 'resolving') return undefined
      if (args.path.startsWith('node:')) return { path: args.path, external: true }
      const found = await bundler.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        pluginData: 'resolving',
      })
      if (found.errors.length > 0) return { errors: found.errors }
      return { path: pathToFileURL(found.path).href, external: true }
    })
  },
}

await build({
  entryPoints: [join(packageDir, 'scripts', 'demo.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  conditions: ['@share/source'],
  logLevel: 'error',
  plugins: [externalDependencies],
})
process.env.SHARE_WORKERS_REMOTE_DIR = packageDir
await import(pathToFileURL(outfile).href)
