// @ts-check
// Memory over a soak: each app's heap (after a full GC) and RSS sampled at a
// fixed interval, and a least-squares slope in MB per minute over the samples
// after warm-up. The verdict is "flat" when the live heap's fitted line rises
// less than LEAK_MB_PER_MIN; anything above it is reported as a suspected leak.
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
 * samples after `warmupMs`, and the verdict.
 * @param {Sample[]} samples @param {string[]} names @param {number} warmupMs
 */
export function memoryTrend(samples, names, warmupMs) {
  const warm = samples.filter((sample) => sample.atMs >= warmupMs)
  return names.map((name) => {
    const series = (/** @type {Sample[]} */ list, /** @type {'heapUsed' | 'rss'} */ field) =>
      list.flatMap((sample) => {
        const memory = sample.apps[name]
        return memory ? [{ x: sample.atMs / 60_000, y: memory[field] / MB }] : []
      })
    const heap = series(warm, 'heapUsed')
    const rss = series(warm, 'rss')
    const all = series(samples, 'heapUsed')
    const allRss = series(samples, 'rss')
    const heapSlope = slope(heap)
    const minutes = (heap[heap.length - 1]?.x ?? 0) - (heap[0]?.x ?? 0)
    return {
      name,
      samples: heap.length,
      heapFirst: all[0]?.y ?? 0,
      heapLast: all[all.length - 1]?.y ?? 0,
      rssFirst: allRss[0]?.y ?? 0,
      rssLast: allRss[allRss.length - 1]?.y ?? 0,
      heapSlope,
      rssSlope: slope(rss),
      verdict:
        minutes < MIN_JUDGED_MINUTES
          ? 'too short to judge'
          : heapSlope < LEAK_MB_PER_MIN
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
