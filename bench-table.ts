// A small benchmark runner for `pnpm bench`. Tasks run in interleaved rounds
// (the order rotates every round) and each task's figure is the median of its
// rounds, so a noisy neighbour or a warming CPU does not favour whichever
// task happened to run first. Ratios compare tasks measured in the same run.

/**
 * Runs `fn` back to back for `ms` milliseconds; returns operations per second.
 * @param {() => unknown} fn
 * @param {number} ms
 */
async function measure(fn, ms) {
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

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/**
 * @param {string} title
 * @param {{ name: string, fn: () => unknown }[]} tasks
 * @param {{ baseline: string, rounds?: number, roundMs?: number, warmupMs?: number }} options
 * @returns {Promise<{ name: string, hz: number, low: number, high: number, vsBaseline: number }[]>}
 */
export async function runTable(
  title,
  tasks,
  { baseline, rounds = 7, roundMs = 300, warmupMs = 200 },
) {
  for (const task of tasks) await measure(task.fn, warmupMs)
  const samples = new Map(tasks.map((task) => [task.name, []]))
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < tasks.length; i++) {
      const task = tasks[(i + round) % tasks.length]
      samples.get(task.name).push(await measure(task.fn, roundMs))
    }
  }
  const rows = tasks.map((task) => {
    const values = samples.get(task.name)
    return {
      name: task.name,
      hz: median(values),
      low: Math.min(...values),
      high: Math.max(...values),
    }
  })
  const base = rows.find((row) => row.name === baseline)
  if (!base) throw new Error(`no baseline task named ${baseline}`)
  const format = (n) => Math.round(n).toLocaleString('en-US')
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
