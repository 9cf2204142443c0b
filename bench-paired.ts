// Paired rounds for the floor benchmarks (`pnpm bench`): a target such as
// "Share ≥ 0.95x the minimal middleware" is a ratio of two servers measured
// on a small VM whose speed swings by ±15% from one second to the next
// (hypervisor steal, a neighbour's cache). Measured one after the other, even
// two rounds back to back differ by that much. So both servers are loaded at
// the same time, on one core they share, each by its own wrk: a stolen
// millisecond slows both alike, and the ratio of what they served in the
// round (and of their CPU time per request) is one sample. The verdict is the
// median of the samples with a confidence interval from order statistics (no
// assumption about the noise's shape). Two processes of the same code differ
// by a few percent, so callers pool rounds from several fresh process pairs.
// With two cores or more the servers share the last core and the load
// generators (and Redis) get the others; without `taskset` nothing is pinned.

import { execFileSync } from 'node:child_process'
import { availableParallelism } from 'node:os'

/** One side of a round: throughput and the server's CPU time per request. */
export interface RoundFigure {
  rps: number
  /** Server CPU µs per request over the round (NaN when unknown). */
  cpuUs: number
}

/** One paired round: the candidate's figure over the baseline's, measured at the same time. */
export interface PairedSample {
  /** Candidate req/s ÷ baseline req/s. */
  rps: number
  /** Baseline CPU µs per request ÷ the candidate's (1.00x: same cost); NaN when unknown. */
  cpu: number
}

/** `rounds` rounds of `measure(side)` run for both sides at once. */
export async function pairedRounds(
  rounds: number,
  measure: (side: 'candidate' | 'baseline') => Promise<RoundFigure>,
): Promise<PairedSample[]> {
  const samples: PairedSample[] = []
  for (let round = 0; round < rounds; round++) {
    const [candidate, baseline] = await Promise.all([measure('candidate'), measure('baseline')])
    samples.push({ rps: candidate.rps / baseline.rps, cpu: baseline.cpuUs / candidate.cpuUs })
  }
  return samples
}

/** A median with its distribution-free confidence interval (order statistics, binomial). */
export interface MedianInterval {
  median: number
  /** Bounds of the interval that holds the true median with at least `confidence`. */
  low: number
  high: number
  confidence: number
  n: number
}

/**
 * The sample median and the interval [x(j), x(n+1-j)] for the largest j with
 * P(j ≤ B ≤ n−j) ≥ confidence, B ~ Binomial(n, ½). With fewer than 6
 * samples no 95% interval exists: the whole range is given.
 */
export function medianInterval(values: readonly number[], confidence = 0.95): MedianInterval {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b)
  const n = sorted.length
  if (n === 0) return { median: Number.NaN, low: Number.NaN, high: Number.NaN, confidence, n }
  const median = n % 2 === 1 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2
  // P(B = k) for B ~ Binomial(n, ½), summed from the tails inwards.
  const pmf: number[] = []
  let p = 0.5 ** n
  for (let k = 0; k <= n; k++) {
    pmf.push(p)
    p = (p * (n - k)) / (k + 1)
  }
  let j = 0 // 1-based order statistic: the interval is sorted[j-1] .. sorted[n-j]
  let tails = 0
  for (let k = 0; k < Math.floor(n / 2); k++) {
    // Dropping order statistics 1..k+1 from each side leaves coverage 1 − 2·P(B ≤ k).
    tails += pmf[k]!
    if (1 - 2 * tails < confidence) break
    j = k + 1
  }
  if (j === 0) return { median, low: sorted[0]!, high: sorted[n - 1]!, confidence, n }
  return { median, low: sorted[j - 1]!, high: sorted[n - j]!, confidence, n }
}

/** How a target reads against the interval: met, not met, or too close to call in this run. */
export function verdict(interval: MedianInterval, floor: number): string {
  if (interval.low >= floor) return 'MET'
  if (interval.high < floor) return 'NOT MET'
  return interval.median >= floor
    ? 'MET (the interval reaches below)'
    : 'NOT MET (the interval reaches above)'
}

export const formatInterval = (interval: MedianInterval): string =>
  `${interval.median.toFixed(3)}x (${Math.round(interval.confidence * 100)}% interval ` +
  `${interval.low.toFixed(3)}–${interval.high.toFixed(3)}, ${interval.n} rounds)`

/** Which cores the servers and the load generator get; empty commands where pinning is not possible. */
export interface Pinning {
  /** Prefix for a server's command line (e.g. `taskset -c 1`), or empty. */
  server: string[]
  /** Prefix for the load generator's (and Redis') command line, or empty. */
  load: string[]
  /** What the table's header says about it. */
  note: string
}

export function pinning(): Pinning {
  const cores = availableParallelism()
  let taskset = false
  try {
    execFileSync('taskset', ['-c', '0', 'true'], { stdio: 'ignore' })
    taskset = true
  } catch {}
  if (!taskset || cores < 2 || process.env.BENCH_PIN === '0') {
    return { server: [], load: [], note: 'not pinned to cores' }
  }
  const last = cores - 1
  const rest = cores === 2 ? '0' : `0-${last - 1}`
  return {
    server: ['taskset', '-c', String(last)],
    load: ['taskset', '-c', rest],
    note: `both servers on core ${last}, wrk and Redis on core${cores === 2 ? '' : 's'} ${rest}`,
  }
}

/** Moves a running process (Redis) onto the load generator's cores; nothing when not pinning. */
export function pinProcess(pid: number | undefined, pins: Pinning): void {
  if (pid === undefined || pins.load.length === 0) return
  execFileSync('taskset', ['-a', '-p', '-c', pins.load[2]!, String(pid)], { stdio: 'ignore' })
}
