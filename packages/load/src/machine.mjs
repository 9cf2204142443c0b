// @ts-check
// What the report says about where it ran: a figure means little without it.
import { execFileSync } from 'node:child_process'
import { cpus, loadavg, totalmem } from 'node:os'

export function describeMachine() {
  const list = cpus()
  let commit = 'unknown'
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim()
  } catch {}
  let redis = 'unknown'
  try {
    redis =
      execFileSync('redis-server', ['--version'], { encoding: 'utf8' }).match(/v=(\S+)/)?.[1] ??
      redis
  } catch {}
  return {
    date: new Date().toISOString().slice(0, 16).replace('T', ' '),
    commit,
    node: process.version,
    redis,
    cpu: `${list.length} × ${list[0]?.model.trim() ?? 'unknown CPU'}`,
    memoryGb: (totalmem() / 1024 ** 3).toFixed(1),
    load: loadavg()
      .map((value) => value.toFixed(2))
      .join(' '),
  }
}
