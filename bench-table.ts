// A small benchmark runner for `pnpm bench`. Tasks run in interleaved rounds
// (the order rotates every round) and each task's figure is the median of its
// rounds, so a noisy neighbour or a warming CPU does not favour whichever
// task happened to run first. Ratios compare tasks measured in the same run.

export interface BenchTask {
  name: string
  fn: () => unknown
}

export interface BenchRow {
  name: string
  /** Median operations per second over the rounds. */
  hz: number
  low: number
  high: number
  /** Time per operation relative to the baseline task (1.00x = as fast). */
  vsBaseline: number
}

export interface TableOptions {
  /** The task the others are compared with. */
  baseline: string
  rounds?: number
  roundMs?: number
  warmupMs?: number
}

/** Runs `fn` back to back for `ms` milliseconds; returns operations per second. */
async function measure(fn: () => unknown, ms: number): Promise<number> {
  let ops = 0
  const start = performance.now()
  let elapsed = 0
  while (elapsed < ms) {
    // Batches of 10 keep the clock reads out of the measurement.
    for (let i = 0; i < 10; i++) await fn()
    ops += 10
    elapsed = performance.now() - start
  }
  return (ops * 1000) / elapsed
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

const format = (n: number) => Math.round(n).toLocaleString('en-US')

/** Measures the tasks in interleaved rounds and prints one Markdown table with ratios. */
export async function runTable(
  title: string,
  tasks: BenchTask[],
  options: TableOptions,
): Promise<BenchRow[]> {
  const { baseline, rounds = 7, roundMs = 300, warmupMs = 200 } = options
  for (const task of tasks) await measure(task.fn, warmupMs)
  const samples = new Map<string, number[]>(tasks.map((task) => [task.name, []]))
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < tasks.length; i++) {
      const task = tasks[(i + round) % tasks.length]!
      samples.get(task.name)!.push(await measure(task.fn, roundMs))
    }
  }
  const rows = tasks.map((task) => {
    const values = samples.get(task.name)!
    return {
      name: task.name,
      hz: median(values),
      low: Math.min(...values),
      high: Math.max(...values),
      vsBaseline: 1,
    }
  })
  const base = rows.find((row) => row.name === baseline)
  if (!base) throw new Error(`no baseline task named ${baseline}`)
  console.log(`\n${title}`)
  console.log(`(median of ${rounds} interleaved rounds of ${roundMs} ms; range in brackets)\n`)
  console.log(`| task | ops/s | range | time per op vs ${baseline} |`)
  console.log('| --- | ---: | ---: | ---: |')
  for (const row of rows) {
    row.vsBaseline = base.hz / row.hz
    console.log(
      `| ${row.name} | ${format(row.hz)} | ${format(row.low)}–${format(row.high)} | ${row.vsBaseline.toFixed(2)}x |`,
    )
  }
  return rows
}
