import type { SessionSummary } from '@share/core'
import type { Command } from 'commander'
import {
  engineFor,
  failure,
  PREFIX_HELP,
  STORE_HELP,
  type StoreOptions,
  withStore,
} from '../context.js'
import { device, hostOf, printable, table, time } from '../format.js'
import { type Io, usageError } from '../io.js'

interface ListOptions extends StoreOptions {
  user: string
  json?: boolean
}

interface RevokeOptions extends StoreOptions {
  user: string
  except?: string
  json?: boolean
}

export function registerSessions(program: Command, io: Io): void {
  const sessions = program
    .command('sessions')
    .description("list or revoke a user's device sessions")
    .addHelpText(
      'after',
      '\nExample:\n  $ share sessions list --user alice --store redis://127.0.0.1:6379\n  $ share sessions revoke 3q2-7wEh0t9dLm5nXJ1k2A --user alice',
    )

  sessions
    .command('list')
    .description("the user's live device sessions, most recently seen first")
    .requiredOption('--user <id>', "the app's id for the user")
    .option('--store <url>', STORE_HELP)
    .option('--prefix <prefix>', PREFIX_HELP)
    .option('--json', 'print the sessions as a JSON array')
    .addHelpText(
      'after',
      '\nExample:\n  $ SHARE_STORE_URL=redis://127.0.0.1:6379 share sessions list --user alice',
    )
    .action((options: ListOptions) =>
      withStore(options, io, async (opened) => {
        const list = await engineFor(opened, io).list(options.user)
        if (options.json) {
          io.out(JSON.stringify(list.map(toJson)))
          return
        }
        if (list.length === 0) {
          io.out(`No live sessions for user ${printable(options.user)} in ${opened.location}.`)
          return
        }
        const rows = list.map((session) => [
          session.handle,
          device(session.client?.userAgent),
          printable(session.client?.ip),
          time(session.createdAt),
          time(session.lastSeenAt),
          session.remotes.length === 0
            ? '-'
            : session.remotes.map((remote) => hostOf(remote.audience)).join(','),
          time(session.expiresAt),
          session.rememberMe ? 'yes' : 'no',
        ])
        const header = [
          'HANDLE',
          'DEVICE',
          'IP',
          'CREATED',
          'LAST SEEN',
          'REMOTES',
          'EXPIRES',
          'REMEMBER',
        ]
        for (const line of table(header, rows)) io.out(line)
      }),
    )

  sessions
    .command('revoke')
    .description(
      'end one session by its handle, or every session of the user (all but one with --except); linked remote sessions end with them',
    )
    .argument('[handle]', 'the session to end (from `share sessions list`)')
    .requiredOption('--user <id>', "the app's id for the user")
    .option('--except <handle>', 'with no handle: keep this session, end all the others')
    .option('--store <url>', STORE_HELP)
    .option('--prefix <prefix>', PREFIX_HELP)
    .option('--json', 'print what was revoked as JSON')
    .addHelpText(
      'after',
      '\nWithout a handle, every session of the user ends (log out everywhere).\n\nExample:\n  $ share sessions revoke 3q2-7wEh0t9dLm5nXJ1k2A --user alice\n  $ share sessions revoke --user alice --except 3q2-7wEh0t9dLm5nXJ1k2A\n  $ share sessions revoke --user alice',
    )
    .action((handle: string | undefined, options: RevokeOptions) => {
      if (handle !== undefined && options.except !== undefined) {
        throw usageError('give either a HANDLE to revoke or --except HANDLE to keep, not both')
      }
      return withStore(options, io, async (opened) => {
        const engine = engineFor(opened, io)
        const user = printable(options.user)
        const before = await engine.list(options.user)
        const describe = (session: SessionSummary) =>
          `${session.handle} (${device(session.client?.userAgent)}, ${printable(session.client?.ip)})`
        let revoked: SessionSummary[]
        if (handle !== undefined) {
          const target = before.find((session) => session.handle === handle)
          if (target === undefined || !(await engine.revoke(options.user, handle))) {
            throw failure(
              `user ${user} has no live session with handle ${printable(handle, 40)}; see share sessions list --user ${user}`,
            )
          }
          revoked = [target]
        } else if (options.except !== undefined) {
          const keep = options.except
          // One store call ends all the others (deleteUser with an exception): nothing slips between.
          if ((await engine.revokeAllExcept(options.user, keep)) === null) {
            throw failure(
              `user ${user} has no live session with handle ${printable(keep, 40)}; nothing was revoked`,
            )
          }
          revoked = before.filter((session) => session.handle !== keep)
        } else {
          await engine.revokeAll(options.user)
          revoked = before
        }
        if (options.json) {
          io.out(JSON.stringify({ userId: options.user, revoked: revoked.map(toJson) }))
          return
        }
        if (revoked.length === 0) {
          io.out(`User ${user} had no live sessions to revoke.`)
          return
        }
        io.out(
          `Revoked ${revoked.length} session${revoked.length === 1 ? '' : 's'} of user ${user} (with their linked remote sessions):`,
        )
        for (const session of revoked) io.out(`  ${describe(session)}`)
        if (options.except !== undefined) io.out(`Kept ${printable(options.except, 40)}.`)
      })
    })
}

function toJson(session: SessionSummary) {
  return {
    handle: session.handle,
    device: device(session.client?.userAgent),
    ip: session.client?.ip ?? null,
    userAgent: session.client?.userAgent ?? null,
    createdAt: new Date(session.createdAt).toISOString(),
    lastSeenAt: new Date(session.lastSeenAt).toISOString(),
    expiresAt: new Date(session.expiresAt).toISOString(),
    rememberMe: session.rememberMe,
    remotes: session.remotes.map((remote) => ({
      audience: remote.audience,
      firstSeenAt: new Date(remote.firstSeenAt).toISOString(),
      lastSeenAt: new Date(remote.lastSeenAt).toISOString(),
    })),
  }
}
