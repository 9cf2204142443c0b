// `pnpm bench` / `npm run bench`: builds, then runs every package's benchmark
// one at a time (never in parallel: they would measure each other).
import {
  buildPackages,
  ensurePnpm,
  ensureRedis,
  ensureWrk,
  hasWorkspaceDependencies,
  installDependencies,
  mustRun,
} from './bootstrap.mjs'

ensurePnpm()
if (!hasWorkspaceDependencies()) installDependencies()
if (!(await ensureRedis()) || !ensureWrk()) process.exit(1)
buildPackages()
mustRun('pnpm', ['-r', '--workspace-concurrency=1', '--if-present', 'run', 'bench'])
