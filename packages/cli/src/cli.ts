import { run } from './program.js'

const code = await run(process.argv.slice(2))
process.exitCode = code
// A lingering handle (a socket still closing) must not hold the shell.
setTimeout(() => process.exit(code), 2000).unref()
