// @ts-check
// Redis commands per authenticated page view: MONITOR on the run's own
// redis-server watches while signed-in users read pages and nothing else;
// the commands the apps sent (round trips) and those their scripts ran inside
// Redis are divided by the reads. The design's target is one round trip;
// `lastSeen` writes add a few, at most one per session per touch interval.

/**
 * @param {{ users: import('./virtual-user.mjs').VirtualUser[], reads: number,
 *   redis: Awaited<ReturnType<import('./redis-server.mjs').startOwnRedis>>,
 *   stats: ReturnType<import('./stats.mjs').createStats> }} options
 */
export async function probeCommandsPerRead({ users, reads, redis, stats }) {
  const readers = users.filter((user) => user.signedInAt.size === user.context.remotes.length)
  if (readers.length === 0) return null
  const monitor = await redis.monitor()
  let left = reads
  stats.start()
  await Promise.all(
    readers.map(async (user, index) => {
      for (let turn = 0; left > 0; turn++) {
        left--
        const remote = user.context.remotes[(index + turn) % user.context.remotes.length]
        if (remote) await user.read(remote)
      }
    }),
  )
  stats.stop()
  const { sent, inScripts } = await monitor.stop()
  const total = (/** @type {Record<string, number>} */ counts) =>
    Object.values(counts).reduce((sum, calls) => sum + calls, 0)
  return {
    reads,
    roundTrips: total(sent),
    perRead: total(sent) / reads,
    inScriptsPerRead: total(inScripts) / reads,
    sent,
    inScripts,
    problems: stats.summary().problems,
  }
}
