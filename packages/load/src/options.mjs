// @ts-check
// The command line. The defaults are the issue's: a 60 s mixed run, a 10 min
// soak at half its rate, and the mixed run again with Redis down for 5 s.
import { parseArgs } from 'node:util'

export const USAGE = `pnpm load [options]

  --duration <s>        mixed run length (default 60)
  --users <n>           virtual users, each with its own account and cookies (default 100)
  --rate <ops/s>        mixed run rate; 0 = as fast as the apps answer (default 0)
  --soak <s>            soak length (default 600)
  --soak-rate <ops/s>   soak rate (default: half the mixed run's measured rate)
  --skip-soak           no soak
  --sample-every <s>    soak memory sampling interval (default 10)
  --outage-duration <s> length of the run with Redis stopped in its middle (default: --duration)
  --outage <s>          how long Redis stays down (default 5)
  --skip-outage         no outage run
  --probe-reads <n>     reads for the Redis commands-per-read count (default 2000)
  --out <file>          also write the markdown summary to this file
  --smoke               a short run of everything (under a minute): 8 s, 15 s soak, 12 s outage, 20 users
  --help                this text`

/** @param {string[]} argv */
export function readOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      duration: { type: 'string' },
      users: { type: 'string' },
      rate: { type: 'string' },
      soak: { type: 'string' },
      'soak-rate': { type: 'string' },
      'skip-soak': { type: 'boolean' },
      'sample-every': { type: 'string' },
      'outage-duration': { type: 'string' },
      outage: { type: 'string' },
      'skip-outage': { type: 'boolean' },
      'probe-reads': { type: 'string' },
      out: { type: 'string' },
      smoke: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    strict: true,
  })
  const smoke = values.smoke === true
  const number = (/** @type {string} */ name, /** @type {number} */ fallback) => {
    const text = /** @type {Record<string, unknown>} */ (values)[name]
    if (text === undefined) return fallback
    const value = Number(text)
    if (!Number.isFinite(value) || value < 0)
      throw new Error(`--${name} takes a number ≥ 0, not ${String(text)}`)
    return value
  }
  const duration = number('duration', smoke ? 8 : 60)
  return {
    help: values.help === true,
    duration,
    users: Math.max(1, Math.floor(number('users', smoke ? 20 : 100))),
    rate: number('rate', 0),
    soak: values['skip-soak'] ? 0 : number('soak', smoke ? 15 : 600),
    soakRate: number('soak-rate', 0),
    sampleEvery: Math.max(1, number('sample-every', smoke ? 3 : 10)),
    outageDuration: values['skip-outage'] ? 0 : number('outage-duration', smoke ? 12 : duration),
    outage: number('outage', 5),
    probeReads: Math.floor(number('probe-reads', smoke ? 500 : 2000)),
    out: values.out ?? null,
    argv,
  }
}
