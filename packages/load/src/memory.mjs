// @ts-check
// Memory over a soak: each app's heap (after a full GC) and RSS sampled at a
// fixed interval, and least-squares slopes in MB per minute: over the samples
// after warm-up, and over the second half of the soak. The verdict is on the
// second half's live heap: "flat" when its fitted line rises less than
// LEAK_MB_PER_MIN, else a suspected leak. The second half, because bounded
// caches legitimately grow until full (each remote's verified-cookie cache
// takes up to 10,000 sessions: minutes of sign-ins), and a leak does not stop.
// Windows shorter than MIN_JUDGED_MINUTES (smoke runs) get no verdict.

export const LEAK_MB_PER_MIN = 0.2
/** A slope over less than this says nothing about a leak: GC and caches still move it. */
export const MIN_JUDGED_MINUTES = 3
const MB = 1024 * 1024

/**
 * @typedef {import('./apps.mjs').Memory} Memory
 * @typedef {{ atMs: number, apps: Record<string, Memory | null> }} Sample
 */

/**
 * Samples `sample()` every `everyMs` until `stop()`; the first sample is taken at once.
 * @param {() => Promise<Record<string, Memory | null>>} sample @param {number} everyMs
 */
export function startSampling(sample, everyMs) {
  /** @type {Sample[]} */
  const samples = []
  const begin = performance.now()
  const take = async () => samples.push({ atMs: performance.now() - begin, apps: await sample() })
  let pending = take()
  const timer = setInterval(() => {
    pending = pending.then(take)
  }, everyMs)
  return {
    async stop() {
      clearInterval(timer)
      await pending
      await take()
      return samples
    },
  }
}

/**
 * Per app: first and last values, slopes (heap and RSS, MB/min) over the
 * samples after `warmupMs` and over those after `judgeFromMs`, and the verdict.
 * @param {Sample[]} samples @param {string[]} names @param {number} warmupMs @param {number} judgeFromMs
 */
export function memoryTrend(samples, names, warmupMs, judgeFromMs) {
  return names.map((name) => {
    const series = (/** @type {number} */ fromMs, /** @type {'heapUsed' | 'rss'} */ field) =>
      samples.flatMap((sample) => {
        const memory = sample.apps[name]
        if (!memory || sample.atMs < fromMs) return []
        return [{ x: sample.atMs / 60_000, y: memory[field] / MB }]
      })
    const heap = series(0, 'heapUsed')
    const rss = series(0, 'rss')
    const judged = series(judgeFromMs, 'heapUsed')
    const judgedSlope = slope(judged)
    const minutes = (judged[judged.length - 1]?.x ?? 0) - (judged[0]?.x ?? 0)
    return {
      name,
      heapFirst: heap[0]?.y ?? 0,
      heapLast: heap[heap.length - 1]?.y ?? 0,
      rssFirst: rss[0]?.y ?? 0,
      rssLast: rss[rss.length - 1]?.y ?? 0,
      heapSlope: slope(series(warmupMs, 'heapUsed')),
      rssSlope: slope(series(warmupMs, 'rss')),
      judgedSlope,
      verdict:
        minutes < MIN_JUDGED_MINUTES
          ? 'too short to judge'
          : judgedSlope < LEAK_MB_PER_MIN
            ? 'flat'
            : 'leak suspected',
    }
  })
}

/** Least-squares slope of y over x (0 for fewer than two points). @param {{ x: number, y: number }[]} points */
export function slope(points) {
  const n = points.length
  if (n < 2) return 0
  const meanX = points.reduce((sum, p) => sum + p.x, 0) / n
  const meanY = points.reduce((sum, p) => sum + p.y, 0) / n
  let num = 0
  let den = 0
  for (const p of points) {
    num += (p.x - meanX) * (p.y - meanY)
    den += (p.x - meanX) ** 2
  }
  return den === 0 ? 0 : num / den
}
