import { createKeyring } from '@share/core/token'
import type { Command } from 'commander'
import { detailOf, readKeyList } from '../context.js'
import { CliError, type Io, usageError } from '../io.js'

interface KeyReport {
  position: number
  keyId: string | null
  role: 'seals and opens' | 'opens only' | null
  problem: string | null
}

export function registerKeys(program: Command, io: Io): void {
  const keys = program
    .command('keys')
    .description('check the configured keyring')
    .addHelpText(
      'after',
      '\nExample:\n  $ SHARE_SYNC_KEY=share_sk1_new...,share_sk1_old... share keys check',
    )
  keys
    .command('check')
    .description(
      'read SHARE_SYNC_KEY (comma-separated, newest first) and say which key seals and which only open, by key id',
    )
    .option('--json', 'print the keys (ids, roles, problems) as JSON')
    .addHelpText(
      'after',
      '\nThe first key seals tokens and signs cookies; the others only open and verify.\nExit code 1 when a key is malformed or listed twice. Keys are never printed.\n\nExample:\n  $ SHARE_SYNC_KEY="$NEW_KEY,$OLD_KEY" share keys check',
    )
    .action(async (options: { json?: boolean }) => {
      const list = readKeyList(io)
      if (list.length === 0) {
        throw usageError(
          'SHARE_SYNC_KEY is not set; put the keyring there (keys comma-separated, newest first)',
        )
      }
      const reports: KeyReport[] = []
      for (const [index, key] of list.entries()) {
        const position = index + 1
        const earlier = list.indexOf(key)
        if (key === '') {
          reports.push({ position, keyId: null, role: null, problem: 'is empty (a stray comma?)' })
          continue
        }
        let keyId: string | null = null
        let problem: string | null = null
        try {
          keyId = (await createKeyring(key)).keyIds[0] ?? null
        } catch (error) {
          // core names the position, never the key; renumber it for the whole list.
          const message = (error as Error).message
          problem = /key #1 of the keyring (.*)$/.exec(message)?.[1] ?? detailOf(message)
        }
        if (problem === null && earlier !== index) problem = `repeats key #${earlier + 1}`
        const usable = problem === null
        reports.push({
          position,
          keyId,
          role: usable ? (index === 0 ? 'seals and opens' : 'opens only') : null,
          problem,
        })
      }
      const problems = reports.filter((report) => report.problem !== null)
      if (options.json) {
        io.out(JSON.stringify({ keys: reports, ok: problems.length === 0 }))
      } else {
        io.out(`SHARE_SYNC_KEY holds ${list.length} key${list.length === 1 ? '' : 's'}:`)
        for (const report of reports) {
          io.out(
            report.problem === null
              ? `  #${report.position}  key id ${report.keyId}  ${report.role}`
              : `  #${report.position}  ${report.keyId === null ? '' : `key id ${report.keyId}  `}problem: ${report.problem}`,
          )
        }
        if (problems.length === 0 && list.length > 1) {
          io.out('Rotation: the first key seals; drop the others once every app has the first.')
        }
      }
      if (problems.length > 0) {
        const first = problems[0]!
        throw new CliError(
          `key #${first.position} of SHARE_SYNC_KEY ${first.problem}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}; apps refuse this keyring`,
          1,
        )
      }
    })
}
