#!/usr/bin/env node
// The `share` command. A file of its own, present before any build, so that installing the
// workspace links the bin without a warning; the command itself is the built dist/cli.js.
import('../dist/cli.js').catch((error) => {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/cli.js')) {
    console.error('share: @share/cli is not built here; run `pnpm --filter @share/cli build` first')
    process.exit(1)
  }
  throw error
})
