// @ts-check
// What a run counts: every HTTP answer by status, each operation's latency by
// kind, and the problems the virtual users saw (lost session, wrong user, an
// unexpected answer), each with a short description for the report.

export function createStats() {
  /** @type {Map<string, number[]>} */
  const latencies = new Map()
  /** @type {Map<string, number>} */
  const statuses = new Map()
  /** @type {Map<string, number>} */
  const problems = new Map()
  /** @type {Map<string, string>} */
  const examples = new Map()
  const requestMs = /** @type {number[]} */ ([])
  let started = performance.now()
  let stopped = /** @type {number | null} */ (null)
  let ops = 0

  return {
    start() {
      started = performance.now()
    },
    stop() {
      stopped = performance.now()
    },
    /** @param {{ status: number, ms: number }} answer */
    answer(answer) {
      const key = answer.status === 0 ? 'network error' : String(answer.status)
      statuses.set(key, (statuses.get(key) ?? 0) + 1)
      requestMs.push(answer.ms)
    },
    /**
     * A finished operation: its kind, its time, and optionally a finer kind it
     * is also counted under (which way a logout went), without counting twice.
     * @param {string} kind @param {number} ms @param {string} [detail]
     */
    op(kind, ms, detail) {
      ops++
      for (const name of detail ? [kind, detail] : [kind]) {
        const list = latencies.get(name) ?? []
        list.push(ms)
        latencies.set(name, list)
      }
    },
    /** @param {string} type @param {string} example */
    problem(type, example) {
      problems.set(type, (problems.get(type) ?? 0) + 1)
      if (!examples.has(type)) examples.set(type, example)
    },
    summary() {
      const seconds = ((stopped ?? performance.now()) - started) / 1000
      const requests = requestMs.length
      return {
        seconds,
        requests,
        ops,
        requestsPerSec: requests / seconds,
        opsPerSec: ops / seconds,
        requestLatency: percentiles(requestMs),
        kinds: Object.fromEntries(
          [...latencies].map(([kind, list]) => [
            kind,
            { count: list.length, ...percentiles(list) },
          ]),
        ),
        statuses: Object.fromEntries([...statuses].sort()),
        problems: Object.fromEntries(problems),
        examples: Object.fromEntries(examples),
      }
    },
  }
}

/** p50, p99 and max in milliseconds (nearest rank). @param {number[]} values */
export function percentiles(values) {
  if (values.length === 0) return { p50: 0, p99: 0, max: 0 }
  const sorted = Float64Array.from(values).sort()
  const rank = (/** @type {number} */ q) =>
    sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0
  return { p50: rank(0.5), p99: rank(0.99), max: sorted[sorted.length - 1] ?? 0 }
}
