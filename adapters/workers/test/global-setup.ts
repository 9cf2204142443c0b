// Starts the Node side of the workerd tests (test/node-services.ts) in a child process and
// hands its addresses to the workerd bindings. The Workers pool inlines every dependency for
// workerd, even in this file, so Node-only modules (ioredis, node:http) must run elsewhere:
// the services are bundled with esbuild (dependencies left to Node) and run by plain node.
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { build, type Plugin } from 'esbuild'
import type { TestProject } from 'vitest/node'

declare module 'vitest' {
  export interface ProvidedContext {
    shimUrl: string
    shimToken: string
    storePrefix: string
    peerUrl: string
  }
}

const here = dirname(fileURLToPath(import.meta.url))

/** Marks every bare import but `@share/*` external (esbuild's `packages: 'external'` takes them all). */
const externalExceptWorkspace: Plugin = {
  name: 'external-except-workspace',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@share/') ? undefined : { path: args.path, external: true },
    )
  },
}

export default async function setup(project: TestProject) {
  const outfile = join(here, '..', 'node_modules', '.cache', 'share-workers', 'node-services.mjs')
  await build({
    entryPoints: [join(here, 'node-services.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Workspace packages are bundled from their sources, every other package is left to Node:
    // resolved by Node, `@share/core` would be its dist/, which the build may be rewriting at that
    // moment (CI saw `dist/token.js` missing when this ran beside `@share/core#build`).
    plugins: [externalExceptWorkspace],
    conditions: ['@share/source'],
    logLevel: 'error',
  })
  const child: ChildProcess = spawn(process.execPath, [outfile], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const exited = once(child, 'exit')
  const lines = createInterface({ input: child.stdout! })
  const first = await Promise.race([
    once(lines, 'line').then(([line]) => String(line)),
    exited.then(() => {
      throw new Error('the Upstash shim could not start: is Redis up on 127.0.0.1:6379?')
    }),
  ])
  const services = JSON.parse(first) as Record<
    'shimUrl' | 'shimToken' | 'storePrefix' | 'peerUrl',
    string
  >
  project.provide('shimUrl', services.shimUrl)
  project.provide('shimToken', services.shimToken)
  project.provide('storePrefix', services.storePrefix)
  project.provide('peerUrl', services.peerUrl)
  return async () => {
    child.kill('SIGTERM')
    await exited
  }
}
