// @ts-check
// `pnpm load`: starts a redis-server of its own and the demo's three apps on
// it, signs the virtual users in, then runs the mixed load, counts Redis
// commands per page view, soaks at half the rate with memory sampled, and runs
// the mix again with Redis stopped in the middle. Prints a markdown summary
// (the figures of docs/reliability.md) and exits 1 when a check failed.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateSyncKey } from '@share/core'
import { startApps } from './apps.mjs'
import { createClient } from './http-client.mjs'
import { describeMachine } from './machine.mjs'
import { memoryTrend, startSampling } from './memory.mjs'
import { readOptions, USAGE } from './options.mjs'
import { runOutage } from './outage.mjs'
import { sparePort } from './ports.mjs'
import { probeCommandsPerRead } from './probe.mjs'
import { startOwnRedis } from './redis-server.mjs'
import { checks, renderReport } from './report.mjs'
import { runMix, signInAll } from './run-mix.mjs'
import { createStats } from './stats.mjs'
import { verifySessions } from './verify.mjs'
import { VirtualUser } from './virtual-user.mjs'

const options = readOptions(process.argv.slice(2))
if (options.help) {
  console.log(USAGE)
  process.exit(0)
}
if (
  spawnSync('sh', ['-c', 'command -v redis-server && command -v redis-cli'], { stdio: 'ignore' })
    .status !== 0
) {
  console.error(
    '✖ pnpm load starts its own redis-server: install Redis 7 (redis-server, redis-cli) first.',
  )
  process.exit(1)
}

const say = (/** @type {string} */ text) => console.error(`▶ ${text}`)
const dir = mkdtempSync(join(tmpdir(), 'share-load-'))
const machine = describeMachine()
say(`working in ${dir} (redis dump, app logs)`)
// Ctrl+C: the exit handlers stop the redis-server; the apps exit with their IPC channel.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    rmSync(dir, { recursive: true, force: true })
    process.exit(130)
  })
}
const redis = await startOwnRedis({ dir })
const ports = { host: await sparePort(), a: await sparePort(), b: await sparePort() }
const apps = await startApps({
  storeUrl: redis.url,
  prefix: `share-load-${process.pid}:`,
  syncKey: generateSyncKey(),
  ports,
  logDir: dir,
})
const client = createClient(apps.apps, Math.min(options.users, 64))
/** @type {(answer: import('./http-client.mjs').Answer) => void} */
let listener = () => {}
client.onAnswer((answer) => listener(answer))
const [host, ...remotes] = apps.apps
if (!host) throw new Error('no host app')
const context = { client, host, remotes, stats: createStats() }
const users = Array.from({ length: options.users }, (_, i) => new VirtualUser(i + 1, context))

/** A fresh set of counters for the next phase, fed by every answer. */
function phaseStats() {
  const stats = createStats()
  context.stats = stats
  listener = (answer) => stats.answer(answer)
  return stats
}

/** CPU of each app and of this driver over a phase, in % of one core. */
async function cpuMeter() {
  const before = await apps.sample()
  const driverBefore = process.cpuUsage()
  const started = performance.now()
  return {
    before,
    async stop() {
      const after = await apps.sample()
      const elapsedUs = (performance.now() - started) * 1000
      const percent = (
        /** @type {{ user: number, system: number }} */ a,
        /** @type {{ user: number, system: number }} */ b,
      ) => (100 * (b.user + b.system - a.user - a.system)) / elapsedUs
      /** @type {Record<string, number>} */
      const cpu = { driver: percent(driverBefore, process.cpuUsage()) }
      for (const [name, memory] of Object.entries(after)) {
        const first = before[name]
        if (memory && first) cpu[name] = percent(first.cpu, memory.cpu)
      }
      return { after, cpu }
    },
  }
}

/** @param {number} seconds @param {number} rate */
async function measuredRun(seconds, rate) {
  const meter = await cpuMeter()
  const summary = await runMix({ users, stats: phaseStats(), seconds, rate })
  const { after, cpu } = await meter.stop()
  const verify = await verifySessions(users, phaseStats())
  return { summary, rate, memBefore: meter.before, memAfter: after, cpu, verify }
}

let failed = true
try {
  say(`signing in ${users.length} virtual users`)
  const setupFailures = await signInAll(users, 20)
  if (setupFailures > 0)
    say(
      `${setupFailures} sign-ins failed before the run: ${JSON.stringify(context.stats.summary().examples)}`,
    )

  say(`mixed run: ${options.duration} s`)
  const mixed = await measuredRun(options.duration, options.rate)

  say(`Redis commands per page view: ${options.probeReads} reads`)
  const probe =
    options.probeReads > 0
      ? await probeCommandsPerRead({ users, reads: options.probeReads, redis, stats: phaseStats() })
      : null

  let soak = null
  if (options.soak > 0) {
    const rate = options.soakRate || mixed.summary.opsPerSec / 2
    say(`soak: ${options.soak} s at ${rate.toFixed(0)} operations/s`)
    const sampling = startSampling(apps.sample, options.sampleEvery * 1000)
    const run = await measuredRun(options.soak, rate)
    const samples = await sampling.stop()
    const warmupSec = Math.min(120, options.soak / 5)
    const judgeFromSec = options.soak / 2
    const trend = memoryTrend(samples, apps.names, warmupSec * 1000, judgeFromSec * 1000)
    soak = { ...run, rate, warmupSec, judgeFromSec, samples, trend }
  }

  let outage = null
  if (options.outageDuration > 0) {
    say(
      `outage run: ${options.outageDuration} s with Redis down for ${options.outage} s in the middle`,
    )
    const stats = phaseStats()
    const result = await runOutage({
      users,
      stats,
      seconds: options.outageDuration,
      downSeconds: options.outage,
      rate: options.rate,
      redis,
      listen: (extra) => {
        listener = (answer) => {
          stats.answer(answer)
          extra(answer)
        }
      },
    })
    outage = { ...result, verify: await verifySessions(users, phaseStats()) }
  }

  const result = {
    machine,
    command: `pnpm load ${options.argv.join(' ')}`.trim(),
    users: options.users,
    sampleEvery: options.sampleEvery,
    mixed,
    probe,
    soak,
    outage,
    exits: apps.exits,
  }
  const markdown = renderReport(result)
  console.log(markdown)
  if (options.out) {
    writeFileSync(options.out, `${markdown}\n`)
    writeFileSync(`${options.out}.json`, `${JSON.stringify(result, null, 2)}\n`)
  }
  failed = checks(result).some((check) => !check.ok)
} finally {
  await client.close()
  await apps.stop()
  await redis.stop()
  if (!failed) rmSync(dir, { recursive: true, force: true })
  else say(`a check failed: the app logs are kept in ${dir}`)
}
process.exit(failed ? 1 : 0)
