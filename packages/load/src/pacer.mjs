// @ts-check
// Spaces operations at a fixed rate across all virtual users (rate 0: no
// spacing, each user goes as fast as its answers come). When the apps fall
// behind, the backlog is capped at one second, so a stall is not followed by
// a burst the real users would never send.

/** @param {number} perSecond */
export function createPacer(perSecond) {
  const gapMs = perSecond > 0 ? 1000 / perSecond : 0
  let nextAt = performance.now()
  return {
    /** Resolves when the next operation may start. */
    async next() {
      if (gapMs === 0) return
      const now = performance.now()
      nextAt = Math.max(nextAt + gapMs, now - 1000)
      const wait = nextAt - now
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
    },
  }
}
