import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url))

export interface PublishedPackage {
  name: string
  dir: string
  /** False for ESM-only packages (no `require` condition in their exports). */
  cjs: boolean
}

/** Every workspace package that is not private: what users install. */
export function publishedPackages(): PublishedPackage[] {
  return ['packages', 'adapters']
    .map((group) => join(ROOT, group))
    .filter((dir) => existsSync(dir))
    .flatMap((group) => readdirSync(group).map((name) => join(group, name)))
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
    .filter(({ manifest }) => !manifest.private)
    .map(({ dir, manifest }) => ({
      name: manifest.name as string,
      dir,
      cjs: JSON.stringify(manifest.exports ?? {}).includes('"require"'),
    }))
}

/** `pnpm pack` (which rewrites workspace: ranges) into `destination`; returns the tarball path. */
export function pack(pkg: PublishedPackage, destination: string): string {
  const output = execFileSync('pnpm', ['pack', '--pack-destination', destination], {
    cwd: pkg.dir,
    encoding: 'utf8',
  })
  const tarball = output.trim().split('\n').at(-1)!.trim()
  return tarball.startsWith('/') ? tarball : join(destination, tarball)
}
