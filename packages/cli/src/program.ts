import { isShareError } from '@share/core'
import { Command, CommanderError } from 'commander'
import { registerKeygen } from './commands/keygen.js'
import { registerKeys } from './commands/keys.js'
import { registerSessions } from './commands/sessions.js'
import { registerStats } from './commands/stats.js'
import { registerSweep } from './commands/sweep.js'
import { registerToken } from './commands/token.js'
import { CliError, type Io, processIo } from './io.js'

const VERSION = '0.1.0'

/**
 * Runs the `share` command line and resolves with its exit code: 0 on
 * success, 2 for a usage error (fix the command), 1 for a failure. Errors
 * are one line on stderr; `--debug` adds the stack.
 */
export async function run(argv: readonly string[], io: Io = processIo()): Promise<number> {
  const debug = argv.includes('--debug')
  const program = new Command('share')
    .description('Operate Share: sync keys, device sessions, sweeping, stats and token checks.')
    .version(VERSION, '-V, --version')
    .option('--debug', 'show stack traces on errors')
    .exitOverride()
    .showHelpAfterError('(add --help for usage and an example)')
    .configureOutput({
      writeOut: (text) => io.out(text.replace(/\n$/, '')),
      writeErr: (text) => io.err(text.replace(/\n$/, '')),
      // Handles and tokens are base64url and may start with '-': then they go after `--`.
      outputError: (text, write) =>
        write(
          text.includes('unknown option')
            ? `${text.replace(/\n$/, '')} (a handle or token that starts with - goes after --, as in: share sessions revoke --user ID -- -HANDLE)\n`
            : text,
        ),
    })
    .addHelpText(
      'after',
      '\nEnvironment: SHARE_SYNC_KEY (keyring, newest first), SHARE_STORE_URL, SHARE_STORE_PREFIX,\nUPSTASH_REDIS_REST_TOKEN.\n\nExample:\n  $ share keygen\n  $ share sessions list --user alice --store redis://127.0.0.1:6379',
    )
  registerKeygen(program, io)
  registerSessions(program, io)
  registerSweep(program, io)
  registerStats(program, io)
  registerKeys(program, io)
  registerToken(program, io)
  try {
    await program.parseAsync([...argv], { from: 'user' })
    return 0
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has printed its message already.
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0
      return error.exitCode === 0 ? 0 : 2
    }
    if (error instanceof CliError) {
      io.err(`share: ${error.message}`)
      if (debug && error.stack) io.err(error.stack)
      return error.exitCode
    }
    io.err(`share: ${oneLine(error)}`)
    if (debug && error instanceof Error && error.stack) io.err(error.stack)
    return 1
  }
}

function oneLine(error: unknown): string {
  if (isShareError(error)) {
    const hint =
      error.code === 'ERR_STORE_UNAVAILABLE'
        ? ' (check --store and that the server is up)'
        : error.code === 'ERR_KEY_INVALID'
          ? ' (run share keys check)'
          : ''
    return `${error.message}${hint}`
  }
  const message = error instanceof Error ? error.message : String(error)
  return `${message.split('\n', 1)[0]!.slice(0, 300)} (add --debug for details)`
}
