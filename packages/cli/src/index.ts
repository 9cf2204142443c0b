/**
 * @share/cli: the `share` command (bin `share`). This entry runs it from code:
 * `run(['sessions', 'list', '--user', 'alice'])` resolves with the exit code.
 *
 * @module
 */
export { CliError, type Io, processIo } from './io.js'
export { run } from './program.js'
