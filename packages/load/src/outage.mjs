// @ts-check
// The mixed run with the run's own Redis stopped in the middle: every answer
// is kept with its time and sorted into before, during (from the stop until
// Redis answers again) and after. What must hold: no 500 at any time, the
// store's fixed 503 page while it is down, and the same sessions after.
import { runMix } from './run-mix.mjs'
import { isStoreDownPage } from './virtual-user.mjs'

/**
 * @param {{ users: import('./virtual-user.mjs').VirtualUser[], stats: ReturnType<import('./stats.mjs').createStats>,
 *   seconds: number, downSeconds: number, rate: number,
 *   redis: Awaited<ReturnType<import('./redis-server.mjs').startOwnRedis>>,
 *   listen: (listener: (answer: import('./http-client.mjs').Answer) => void) => void }} options
 */
export async function runOutage({ users, stats, seconds, downSeconds, rate, redis, listen }) {
  /** @type {{ atMs: number, status: number, page: boolean, read: boolean }[]} */
  const answers = []
  const begin = performance.now()
  listen((answer) =>
    answers.push({
      atMs: performance.now() - begin,
      status: answer.status,
      page: isStoreDownPage(answer),
      // A remote's page of a signed-in user: the answers that must come back.
      read: answer.status === 200 && answer.body.includes('<strong id="user">'),
    }),
  )
  const events = { stopAtMs: 0, downAtMs: 0, upAtMs: 0, keysBefore: 0, keysAfter: 0 }
  const outage = (async () => {
    await sleep(Math.max(0, (seconds - downSeconds) * 500))
    events.keysBefore = await redis.keyCount()
    events.stopAtMs = performance.now() - begin
    await redis.stop()
    // Down from the moment the server has exited (SHUTDOWN SAVE takes a moment).
    events.downAtMs = performance.now() - begin
    await sleep(downSeconds * 1000)
    await redis.start()
    events.upAtMs = performance.now() - begin
    events.keysAfter = await redis.keyCount()
  })()
  const summary = await runMix({ users, stats, seconds, rate })
  await outage
  return { summary, ...events, ...phases(answers, events.downAtMs, events.upAtMs) }
}

/**
 * @param {{ atMs: number, status: number, page: boolean, read: boolean }[]} answers
 * @param {number} downAtMs @param {number} upAtMs
 */
function phases(answers, downAtMs, upAtMs) {
  const count = (/** @type {typeof answers} */ list) => {
    /** @type {Record<string, number>} */
    const byStatus = {}
    for (const answer of list) {
      const key = answer.status === 0 ? 'network error' : String(answer.status)
      byStatus[key] = (byStatus[key] ?? 0) + 1
    }
    return byStatus
  }
  const before = answers.filter((answer) => answer.atMs < downAtMs)
  const during = answers.filter((answer) => answer.atMs >= downAtMs && answer.atMs < upAtMs)
  const after = answers.filter((answer) => answer.atMs >= upAtMs)
  const firstRead = after.find((answer) => answer.read)
  const last503 = after.filter((answer) => answer.status === 503).pop()
  return {
    before: count(before),
    during: count(during),
    after: count(after),
    duringFixedPage: during.filter((answer) => answer.page).length,
    duringOther503: during.filter((answer) => answer.status === 503 && !answer.page).length,
    duringReads: during.filter((answer) => answer.read).length,
    firstReadAfterMs: firstRead ? firstRead.atMs - upAtMs : null,
    last503AfterMs: last503 ? last503.atMs - upAtMs : null,
    fiveHundreds: answers.filter((answer) => answer.status === 500).length,
  }
}

/** @param {number} ms */
function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
