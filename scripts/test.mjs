// The README's test command: installs what is missing, runs every check
// (build, typecheck, lint, tests) and ends with one line `N passed, N failed`.
// Exits non-zero when anything failed.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import {
  ensureChromium,
  ensurePnpm,
  ensureRedis,
  installDependencies,
  log,
  ROOT,
  run,
} from './bootstrap.mjs'

const WORKSPACE_DIRS = ['packages', 'adapters', 'examples']

function workspacePackages() {
  return WORKSPACE_DIRS.flatMap((dir) => {
    const base = join(ROOT, dir)
    if (!existsSync(base)) return []
    return readdirSync(base)
      .map((name) => join(base, name))
      .filter((path) => existsSync(join(path, 'package.json')))
  })
}

function clearReports() {
  for (const pkg of workspacePackages())
    rmSync(join(pkg, '.reports'), { recursive: true, force: true })
  rmSync(join(ROOT, '.turbo', 'runs'), { recursive: true, force: true })
}

/** Sums the vitest JSON reports every package's test run wrote. */
function readReports() {
  const totals = { passed: 0, failed: 0, skipped: 0, packages: new Set() }
  for (const pkg of workspacePackages()) {
    const file = join(pkg, '.reports', 'vitest.json')
    if (!existsSync(file)) continue
    const report = JSON.parse(readFileSync(file, 'utf8'))
    const name = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')).name
    totals.packages.add(name)
    totals.passed += report.numPassedTests
    // A file that fails to load has no tests; count it as one failure.
    totals.failed += report.numFailedTests + (report.numRuntimeErrorTestSuites ?? 0)
    totals.skipped += report.numPendingTests + (report.numTodoTests ?? 0)
    for (const suite of report.testResults) {
      for (const test of suite.assertionResults) {
        if (test.status === 'failed') console.log(`  ✖ ${name}: ${test.fullName}`)
      }
      if (suite.status === 'failed' && suite.assertionResults.length === 0) {
        console.log(
          `  ✖ ${name}: ${suite.name} did not load: ${suite.message?.split('\n')[0] ?? ''}`,
        )
      }
    }
  }
  return totals
}

/** Tasks turbo ran that exited non-zero, from its run summary. */
function failedTasks() {
  const dir = join(ROOT, '.turbo', 'runs')
  if (!existsSync(dir)) return []
  return readdirSync(dir).flatMap((file) => {
    const summary = JSON.parse(readFileSync(join(dir, file), 'utf8'))
    return summary.tasks
      .filter(
        (task) =>
          task.execution && task.execution.exitCode !== 0 && task.execution.exitCode !== null,
      )
      .map((task) => ({
        id: task.taskId,
        task: task.task,
        pkg: task.package,
        logFile: logPath(task),
      }))
  })
}

/** Where turbo kept a task's output: its summary names the file relative to the root (`packages/cli/.turbo/turbo-test.log`). */
function logPath(task) {
  if (!task.logFile) return null
  const file = join(ROOT, task.logFile)
  return existsSync(file) ? file : null
}

/**
 * The end of a failed task's output, printed again in the summary: turbo's own
 * output of a crashed or timed-out task scrolls far above the last line.
 */
function printTail(task, lines = 40) {
  if (task.logFile === null) return
  // biome-ignore lint/suspicious/noControlCharactersInRegex: strips the log's colour codes
  const text = readFileSync(task.logFile, 'utf8').replace(/\x1b\[[0-9;]*m/g, '')
  const tail = text.trimEnd().split('\n').slice(-lines)
  console.log(`    last ${tail.length} lines of ${task.id}:`)
  for (const line of tail) console.log(`    | ${line}`)
}

ensurePnpm()
installDependencies()
if (!(await ensureRedis()) || !ensureChromium()) {
  console.log('0 passed, 1 failed')
  process.exit(1)
}
clearReports()

log('build, typecheck, lint and test (turbo)')
const status = run('pnpm', [
  'turbo',
  'run',
  'build',
  'typecheck',
  'lint',
  'test',
  '--continue',
  '--summarize',
  '--output-logs=new-only',
])

console.log('\nSummary')
const totals = readReports()
const failed = failedTasks()
// A test task that failed without a report (crash, timeout) still counts.
const unreported = failed.filter((t) => t.task === 'test' && !totals.packages.has(t.pkg))
const checks = failed.filter((t) => t.task !== 'test')
for (const task of [...checks, ...unreported]) {
  console.log(`  ✖ ${task.id} failed`)
  printTail(task)
}
if (totals.skipped) console.log(`  ${totals.skipped} skipped (not counted as passed)`)
const failedCount = totals.failed + checks.length + unreported.length
const anyFailure = failedCount > 0 || status !== 0
console.log(`${totals.passed} passed, ${anyFailure && failedCount === 0 ? 1 : failedCount} failed`)
process.exit(anyFailure ? 1 : 0)
