import { generateSyncKey } from '@share/core'
import { createKeyring } from '@share/core/token'
import type { Command } from 'commander'
import type { Io } from '../io.js'

export function registerKeygen(program: Command, io: Io): void {
  program
    .command('keygen')
    .description('print a new sync key (32 random bytes, share_sk1_...)')
    .option('--json', 'print { syncKey, keyId, env } as JSON')
    .addHelpText(
      'after',
      '\nThe key goes in SHARE_SYNC_KEY on the host and on every remote. The hint line\ngoes to stderr, so `share keygen > key.txt` writes the key alone.\n\nExample:\n  $ share keygen\n  $ share keygen --json',
    )
    .action(async (options: { json?: boolean }) => {
      const syncKey = generateSyncKey()
      const [keyId] = (await createKeyring(syncKey)).keyIds
      if (options.json) {
        io.out(JSON.stringify({ syncKey, keyId, env: 'SHARE_SYNC_KEY' }))
        return
      }
      io.out(syncKey)
      io.err(
        `Put it in SHARE_SYNC_KEY on the host and every remote (key id ${keyId}); keep it secret. To rotate, list it first: SHARE_SYNC_KEY=<new>,<old>.`,
      )
    })
}
