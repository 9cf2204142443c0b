// @ts-check
// After a run: every session a user still holds is read once at each remote,
// so a session lost without anyone reading it in the run still shows.

/**
 * @param {import('./virtual-user.mjs').VirtualUser[]} users
 * @param {ReturnType<import('./stats.mjs').createStats>} stats the phase's own counters
 */
export async function verifySessions(users, stats) {
  let checked = 0
  const queue = [...users]
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      for (let user = queue.shift(); user; user = queue.shift()) {
        for (const remote of user.context.remotes) {
          if (!user.signedInAt.has(remote.name)) continue
          checked++
          await user.read(remote)
        }
      }
    }),
  )
  const { problems, examples } = stats.summary()
  return { checked, problems, examples }
}
