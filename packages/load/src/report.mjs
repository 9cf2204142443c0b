// @ts-check
// The markdown summary, in the shape of docs/reliability.md's figures section,
// and the list of checks with their targets (the script's exit code).
import { LEAK_MB_PER_MIN } from './memory.mjs'

const MB = 1024 * 1024
const ms = (/** @type {number} */ value) => (value < 10 ? value.toFixed(1) : value.toFixed(0))
const fixed = (/** @type {number} */ value, digits = 1) => value.toFixed(digits)

/** @typedef {ReturnType<ReturnType<import('./stats.mjs').createStats>['summary']>} Summary */

/** Every check a run makes, each with its target and what was seen. @param {any} result */
export function checks(result) {
  /** @type {{ name: string, ok: boolean, seen: string }[]} */
  const list = []
  const add = (/** @type {string} */ name, /** @type {boolean} */ ok, /** @type {string} */ seen) =>
    list.push({ name, ok, seen })
  const runs = [
    ['mixed run', result.mixed],
    ['soak', result.soak],
  ].filter(([, run]) => run)
  for (const [label, run] of runs) {
    const fiveXx = countWhere(run.summary.statuses, (status) => status.startsWith('5'))
    add(`${label}: no 5xx`, fiveXx === 0, String(fiveXx))
    const problems = sum(run.summary.problems, run.verify.problems)
    const total = Object.values(problems).reduce((sum, n) => sum + Number(n), 0)
    add(`${label}: no error of any kind`, total === 0, total === 0 ? 'none' : describe(problems))
    add(
      `${label}: no lost session`,
      !problems['lost session'],
      String(problems['lost session'] ?? 0),
    )
    add(
      `${label}: no answer for the wrong user`,
      !problems['wrong user'],
      String(problems['wrong user'] ?? 0),
    )
  }
  if (result.soak) {
    const trend = result.soak.trend
    const leaking = trend.filter((/** @type {any} */ app) => app.verdict === 'leak suspected')
    const seen = trend.map((/** @type {any} */ app) => `${app.name} ${app.verdict}`).join(', ')
    add(
      `soak: live heap flat in the second half (< ${LEAK_MB_PER_MIN} MB/min)`,
      leaking.length === 0,
      seen,
    )
  }
  if (result.outage) {
    const o = result.outage
    add('outage: no 500', o.fiveHundreds === 0, String(o.fiveHundreds))
    add(
      'outage: every 503 is the fixed store page',
      o.duringOther503 === 0,
      `${o.duringFixedPage} fixed, ${o.duringOther503} other`,
    )
    add(
      'outage: pages back within 1 s of Redis',
      o.firstReadAfterMs !== null && o.firstReadAfterMs <= 1000,
      o.firstReadAfterMs === null ? 'never' : `${ms(o.firstReadAfterMs)} ms`,
    )
    add(
      'outage: no 503 more than 1 s after Redis is back',
      o.last503AfterMs === null || o.last503AfterMs <= 1000,
      o.last503AfterMs === null ? 'none after' : `last at +${ms(o.last503AfterMs)} ms`,
    )
    const problems = sum(o.summary.problems, o.verify.problems)
    const lost = problems['lost session'] ?? 0
    add('outage: no session lost', lost === 0, String(lost))
    const wrong = problems['wrong user'] ?? 0
    add('outage: no answer for the wrong user', wrong === 0, String(wrong))
  }
  if (result.probe) {
    add(
      'one Redis round trip per page view',
      result.probe.perRead <= 1.05,
      `${fixed(result.probe.perRead, 2)}`,
    )
  }
  add('no app process exited', result.exits.length === 0, result.exits.join('; ') || 'none')
  return list
}

/** Counts of the run and of the check after it, added up. @param {Record<string, number>[]} parts */
function sum(...parts) {
  /** @type {Record<string, number>} */
  const total = {}
  for (const part of parts) {
    for (const [key, n] of Object.entries(part)) total[key] = (total[key] ?? 0) + n
  }
  return total
}

/** @param {Record<string, number>} counts @param {(key: string) => boolean} where */
function countWhere(counts, where) {
  return Object.entries(counts).reduce((sum, [key, n]) => sum + (where(key) ? n : 0), 0)
}

/** @param {Record<string, number>} counts */
function describe(counts) {
  return Object.entries(counts)
    .map(([key, n]) => `${key}: ${n}`)
    .join(', ')
}

/** @param {any} result */
export function renderReport(result) {
  const m = result.machine
  const lines = [
    `### Run of ${m.date} UTC (commit ${m.commit})`,
    '',
    `Command: \`${result.command}\`. Machine: ${m.cpu}, ${m.memoryGb} GB, Node ${m.node}, Redis ${m.redis}; load average at the start ${m.load}.`,
    `${result.users} virtual users, each its own account and cookies; the host and both remotes each in its own Node process, on the run's own redis-server.`,
    '',
    '#### Checks',
    '',
    '| check | result | seen |',
    '| --- | --- | --- |',
    ...checks(result).map((c) => `| ${c.name} | ${c.ok ? 'pass' : '**FAIL**'} | ${c.seen} |`),
    '',
  ]
  lines.push(
    ...runSection(
      `Mixed run (${fixed(result.mixed.summary.seconds, 0)} s, ${result.mixed.rate ? `${result.mixed.rate} ops/s` : 'as fast as answered'})`,
      result.mixed,
    ),
  )
  if (result.probe) {
    const p = result.probe
    lines.push(
      `Redis round trips per authenticated page view: **${fixed(p.perRead, 2)}** (${p.roundTrips} commands sent for ${p.reads} reads: ${describe(p.sent)}; inside those scripts Redis ran ${fixed(p.inScriptsPerRead, 2)} commands per read: ${describe(p.inScripts)}).`,
      '',
    )
  }
  if (result.soak) {
    lines.push(
      ...runSection(
        `Soak (${fixed(result.soak.summary.seconds, 0)} s at ${fixed(result.soak.rate, 0)} ops/s)`,
        result.soak,
      ),
    )
    lines.push(
      `Memory after a full GC, sampled every ${result.sampleEvery} s; slopes over the samples after the first ${fixed(result.soak.warmupSec, 0)} s, and the live heap's over the second half (from ${fixed(result.soak.judgeFromSec, 0)} s), which the verdict is on:`,
      '',
      '| app | heap first → last (MB) | heap slope (MB/min) | second half (MB/min) | RSS first → last (MB) | RSS slope (MB/min) | verdict |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      ...result.soak.trend.map(
        (/** @type {any} */ a) =>
          `| ${a.name} | ${fixed(a.heapFirst)} → ${fixed(a.heapLast)} | ${fixed(a.heapSlope, 3)} | ${fixed(a.judgedSlope, 3)} | ${fixed(a.rssFirst)} → ${fixed(a.rssLast)} | ${fixed(a.rssSlope, 3)} | ${a.verdict} |`,
      ),
      '',
    )
  }
  if (result.outage) lines.push(...outageSection(result.outage))
  return lines.join('\n')
}

/** @param {string} title @param {any} run */
function runSection(title, run) {
  /** @type {Summary} */
  const s = run.summary
  const lines = [
    `#### ${title}`,
    '',
    `${s.requests} requests, **${fixed(s.requestsPerSec, 0)} req/s** (${fixed(s.opsPerSec, 0)} operations/s); every request p50 ${ms(s.requestLatency.p50)} ms, p99 ${ms(s.requestLatency.p99)} ms, max ${ms(s.requestLatency.max)} ms.`,
    '',
    '| operation | count | share | p50 (ms) | p99 (ms) | max (ms) |',
    '| --- | --- | --- | --- | --- | --- |',
  ]
  for (const [kind, k] of Object.entries(s.kinds).sort(byKind)) {
    const share =
      kind.includes('-') && kind !== 'sign-in' ? '' : `${fixed((100 * k.count) / s.ops)}%`
    lines.push(
      `| ${kind.includes('-') && kind !== 'sign-in' ? `↳ ${kind}` : kind} | ${k.count} | ${share} | ${ms(k.p50)} | ${ms(k.p99)} | ${ms(k.max)} |`,
    )
  }
  lines.push(
    '',
    `Answers by status: ${describe(s.statuses)}. Errors: ${describeProblems(s, run.verify)}.`,
    '',
  )
  if (run.memBefore && run.memAfter) {
    lines.push(
      '| process | heap before → after (MB) | RSS before → after (MB) | CPU |',
      '| --- | --- | --- | --- |',
    )
    for (const name of Object.keys(run.memAfter)) {
      const before = run.memBefore[name]
      const after = run.memAfter[name]
      if (!before || !after) continue
      lines.push(
        `| ${name} | ${fixed(before.heapUsed / MB)} → ${fixed(after.heapUsed / MB)} | ${fixed(before.rss / MB)} → ${fixed(after.rss / MB)} | ${fixed(run.cpu[name] ?? 0, 0)}% |`,
      )
    }
    lines.push(`| load driver | | | ${fixed(run.cpu.driver ?? 0, 0)}% |`, '')
  }
  return lines
}

/** @param {any} o */
function outageSection(o) {
  return [
    `#### Redis outage (${fixed(o.summary.seconds, 0)} s run; SHUTDOWN SAVE sent at ${fixed(o.stopAtMs / 1000)} s, Redis gone at ${fixed(o.downAtMs / 1000)} s, answering again at ${fixed(o.upAtMs / 1000)} s)`,
    '',
    '| window | answers by status |',
    '| --- | --- |',
    `| before | ${describe(o.before)} |`,
    `| while down | ${describe(o.during)} |`,
    `| after | ${describe(o.after)} |`,
    '',
    `While down: ${o.duringFixedPage} answers were the fixed 503 page (\`ERR_STORE_UNAVAILABLE\`), ${o.duringOther503} another 503, ${o.duringReads} signed-in pages were still served (answers already under way). 500s over the whole run: ${o.fiveHundreds}.`,
    `After: the first signed-in page ${o.firstReadAfterMs === null ? 'never came' : `came ${ms(o.firstReadAfterMs)} ms`} after Redis answered; the last 503 ${o.last503AfterMs === null ? 'was before that' : `at +${ms(o.last503AfterMs)} ms`}. Keys in Redis just before the stop ${o.keysBefore}, just after the restart ${o.keysAfter} (traffic went on in between, so they may differ by a few).`,
    `Errors the users saw over the run: ${describeProblems(o.summary, o.verify)}.`,
    '',
  ]
}

/** @param {[string, any]} a @param {[string, any]} b */
function byKind([a], [b]) {
  const order = ['read', 'sign-in', 'logout', 'logout-app', 'logout-everywhere', 'revoke-at-host']
  return order.indexOf(a) - order.indexOf(b)
}

/** @param {Summary} s @param {{ checked: number, problems: Record<string, number>, examples: Record<string, string> }} verify */
function describeProblems(s, verify) {
  const all = Object.entries(s.problems)
  const text =
    all.length === 0
      ? 'none'
      : all.map(([type, n]) => `${type} ${n} (e.g. ${s.examples[type]})`).join('; ')
  const after = Object.keys(verify.problems).length === 0 ? 'all held' : describe(verify.problems)
  return `${text}; the ${verify.checked} sessions held at the end, each read once: ${after}`
}
