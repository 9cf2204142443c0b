// @ts-check
// The mixed traffic: every virtual user loops until the time is up. A user
// missing a session at a remote signs in there (the hand-off, with the host's
// login when it has none there either); a fully signed-in user reads a page
// at a random remote, or 1 time in 19 ends its sessions (one of three ways),
// so that sign-ins equal logouts and the mix is 90% reads, 5% sign-ins and
// 5% logouts or revocations.
import { createPacer } from './pacer.mjs'
import { LOGOUT_KINDS } from './virtual-user.mjs'

const LOGOUT_SHARE = 5 / 95
/** After an answer it did not expect a user waits before trying again, as a person would. */
const PAUSE_AFTER_FAILURE_MS = 100

/**
 * @typedef {import('./virtual-user.mjs').VirtualUser} VirtualUser
 * @typedef {ReturnType<import('./stats.mjs').createStats>} Stats
 */

/**
 * @param {{ users: VirtualUser[], stats: Stats, seconds: number, rate?: number, random?: () => number }} options
 */
export async function runMix({ users, stats, seconds, rate = 0, random = Math.random }) {
  const pacer = createPacer(rate)
  const deadline = performance.now() + seconds * 1000
  const pick = (/** @type {readonly any[]} */ list) => list[Math.floor(random() * list.length)]
  stats.start()
  await Promise.all(
    users.map(async (user) => {
      while (performance.now() < deadline) {
        await pacer.next()
        if (performance.now() >= deadline) break
        const ok = await step(user, stats, pick, random)
        if (!ok) await new Promise((resolve) => setTimeout(resolve, PAUSE_AFTER_FAILURE_MS))
      }
    }),
  )
  stats.stop()
  return stats.summary()
}

/**
 * One operation of one user, timed and counted under its kind.
 * @param {VirtualUser} user @param {Stats} stats
 * @param {(list: readonly any[]) => any} pick @param {() => number} random
 */
async function step(user, stats, pick, random) {
  const { remotes } = user.context
  const missing = remotes.filter((remote) => !user.signedInAt.has(remote.name))
  const started = performance.now()
  if (missing.length > 0) {
    let ok = true
    for (const remote of missing) ok = ok && (await user.signIn(remote))
    stats.op('sign-in', performance.now() - started)
    return ok
  }
  if (random() < LOGOUT_SHARE) {
    const kind = pick(LOGOUT_KINDS)
    const { ok, ms } = await user.logout(kind, pick(remotes))
    stats.op('logout', ms, kind)
    return ok
  }
  const ok = await user.read(pick(remotes))
  stats.op('read', performance.now() - started)
  return ok
}

/** Signs every user in at every remote before a run (at most `parallel` at once). @param {VirtualUser[]} users @param {number} parallel */
export async function signInAll(users, parallel) {
  const queue = [...users]
  let failed = 0
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      for (let user = queue.shift(); user; user = queue.shift()) {
        for (const remote of user.context.remotes) {
          if (!user.signedInAt.has(remote.name) && !(await user.signIn(remote))) failed++
        }
      }
    }),
  )
  return failed
}
