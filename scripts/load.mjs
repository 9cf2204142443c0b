// `pnpm load` / `npm run load`: installs what is missing, builds what the load
// run imports, then runs packages/load (the demo's apps on a redis-server of
// its own under mixed load, a soak and an outage). Options: `pnpm load --help`.
import { spawnSync } from 'node:child_process'
import {
  ensurePnpm,
  ensureRedis,
  hasWorkspaceDependencies,
  installDependencies,
  log,
  mustRun,
} from './bootstrap.mjs'

const hasRedisBinaries = () =>
  spawnSync('sh', ['-c', 'command -v redis-server && command -v redis-cli'], { stdio: 'ignore' })
    .status === 0

const args = process.argv.slice(2)
if (args.includes('--help')) {
  mustRun('node', ['packages/load/src/cli.mjs', '--help'])
  process.exit(0)
}
ensurePnpm()
if (!hasWorkspaceDependencies()) installDependencies()
// The run starts its own redis-server on a spare port: only the binaries are needed.
if (!hasRedisBinaries() && !((await ensureRedis()) && hasRedisBinaries())) process.exit(1)
log('building what the load run imports')
mustRun('pnpm', ['turbo', 'run', 'build', '--filter=@share/load...', '--output-logs=errors-only'])
mustRun('node', ['packages/load/src/cli.mjs', ...args])
