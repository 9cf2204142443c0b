import type { SweepResult } from '@share/core/store'
import type { Command } from 'commander'
import { engineFor, PREFIX_HELP, STORE_HELP, type StoreOptions, withStore } from '../context.js'
import type { Io } from '../io.js'

const FRAMES = ['|', '/', '-', '\\']

export function registerSweep(program: Command, io: Io): void {
  program
    .command('sweep')
    .description('remove expired sessions and nonces from a store without native TTL (fs)')
    .option('--store <url>', STORE_HELP)
    .option('--prefix <prefix>', PREFIX_HELP)
    .option('--json', 'print { store, scanned, removed, kept, nativeTtl, ms } as JSON')
    .addHelpText(
      'after',
      '\nRedis and Upstash expire records by themselves; sweep has nothing to do there.\nRun it from cron for an fs: store.\n\nExample:\n  $ share sweep --store fs:/var/lib/share',
    )
    .action((options: StoreOptions & { json?: boolean }) =>
      withStore(options, io, async (opened) => {
        const engine = engineFor(opened, io)
        const nativeTtl = opened.store.capabilities.nativeTtl
        const started = Date.now()
        // core's sweep reports only at its end: a spinner with the elapsed time, on a terminal.
        let frame = 0
        const spinner =
          io.isTTY && !options.json && !nativeTtl
            ? setInterval(() => {
                const seconds = ((Date.now() - started) / 1000).toFixed(1)
                process.stderr.write(
                  `\r${FRAMES[frame++ % FRAMES.length]} sweeping ${opened.location} ${seconds}s`,
                )
              }, 100)
            : undefined
        let result: SweepResult
        try {
          result = await engine.sweep()
        } finally {
          if (spinner !== undefined) {
            clearInterval(spinner)
            process.stderr.write('\r\u001b[2K')
          }
        }
        const ms = Date.now() - started
        const { scanned, removed, kept } = result
        if (options.json) {
          io.out(JSON.stringify({ store: opened.location, scanned, removed, kept, nativeTtl, ms }))
          return
        }
        if (nativeTtl && scanned === 0) {
          io.out(`${opened.location} expires records by native TTL: nothing to sweep.`)
          return
        }
        io.out(
          `Swept ${opened.location} in ${ms} ms: scanned ${scanned} session record${scanned === 1 ? '' : 's'}, removed ${removed} expired, kept ${kept}.`,
        )
      }),
    )
}
