// `npm run keygen`: prints a new sync key (share_sk1_ + 32 random bytes),
// until the CLI package arrives. Builds @share/core first when needed.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import {
  buildPackages,
  ensurePnpm,
  hasWorkspaceDependencies,
  installDependencies,
  ROOT,
} from './bootstrap.mjs'

const dist = join(ROOT, 'packages', 'core', 'dist', 'index.js')
if (!existsSync(dist)) {
  ensurePnpm()
  if (!hasWorkspaceDependencies()) installDependencies()
  buildPackages()
}
const { generateSyncKey } = await import(dist)
console.log(generateSyncKey())
