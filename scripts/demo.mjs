// The README's demo command. Until the host and remote apps exist (a later
// issue), it runs examples/quickstart: a new sync key, a sealed token, its
// claims, and the errors for a tampered token and a foreign callback.
import { buildPackages, ensurePnpm, installDependencies, mustRun } from './bootstrap.mjs'

ensurePnpm()
installDependencies()
buildPackages()
mustRun('pnpm', ['--filter', '@share/example-quickstart', 'start'])
