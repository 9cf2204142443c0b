import type { SweepResult } from '@share/core/store'
import type { Command } from 'commander'
import { engineFor, PREFIX_HELP, STORE_HELP, type StoreOptions, withStore } from '../context.js'
import type { Io } from '../io.js'

const FRAMES = ['|', '/', '-', '\\']
const BAR_WIDTH = 30

/**
 * The terminal's status line while a sweep runs: a spinner with the elapsed
 * time until the store says how many records it lists (only listing stores,
 * such as fs:, do), then a bar of records looked at.
 */
function createProgress(io: Io, location: string, started: number) {
  let frame = 0
  let drawnAt = 0
  let counts: { scanned: number; total: number } | null = null
  const draw = () => {
    drawnAt = Date.now()
    const seconds = ((Date.now() - started) / 1000).toFixed(1)
    if (counts === null || counts.total === 0) {
      io.status(`${FRAMES[frame++ % FRAMES.length]} sweeping ${location} ${seconds}s`)
      return
    }
    io.status(`${progressBar(counts.scanned, counts.total, BAR_WIDTH)} ${seconds}s`)
  }
  const timer = setInterval(draw, 100)
  return {
    update: (scanned: number, total: number) => {
      counts = { scanned, total }
      // The first and last counts show at once; those between wait for the next frame.
      if (scanned === 0 || scanned === total || Date.now() - drawnAt >= 100) draw()
    },
    stop: () => {
      clearInterval(timer)
      io.status(null)
    },
  }
}

/** `[#########.....] 300/500 records`: how far a sweep got. */
function progressBar(scanned: number, total: number, width: number): string {
  const filled = total === 0 ? width : Math.min(width, Math.round((scanned / total) * width))
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${scanned}/${total} records`
}

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
        const progress =
          io.isTTY && !options.json && !nativeTtl
            ? createProgress(io, opened.location, started)
            : undefined
        let result: SweepResult
        try {
          result = await engine.sweep(progress ? { onProgress: progress.update } : {})
        } finally {
          progress?.stop()
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
