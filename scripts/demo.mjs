// The README's demo command: installs what is missing, builds the packages,
// then starts the host and both remotes (examples/demo) on one embedded store.
import { buildPackages, ensurePnpm, installDependencies, mustRun } from './bootstrap.mjs'

ensurePnpm()
installDependencies()
buildPackages()
mustRun('pnpm', ['--filter', '@share/example-demo', 'start'])
