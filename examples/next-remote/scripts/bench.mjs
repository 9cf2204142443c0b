// `pnpm bench` (through `pnpm -r run bench`), never `npm test`: authenticated requests/s
// through the middleware slot of one `next start`, three ways (bench-app/slot.ts), on the edge
// (bench-app/middleware.ts) and on Node (bench-node/proxy.ts):
// @share/next on the memory store, a pass-through reading one cookie and a Map, and
// iron-session. wrk on loopback, the three in turns for ROUNDS rounds (this machine is
// shared: turns spread the noise over all three); the median of each, ratios against the
// pass-through.
import { spawn, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { request } from 'node:http'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { generateSyncKey } from '@share/core'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const next = join(root, 'node_modules', '.bin', 'next')
const PORT = 4340
const HOST = `app-next.localhost:${PORT}`
const DURATION = process.env.BENCH_DURATION ?? '5s'
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const CONNECTIONS = process.env.BENCH_CONNECTIONS ?? '16'
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', TURBO_TELEMETRY_DISABLED: '1' }

function get(path, mode, cookie) {
  return new Promise((resolve, reject) => {
    const headers = { host: HOST, 'x-bench-mode': mode, ...(cookie ? { cookie } : {}) }
    const req = request({ host: '127.0.0.1', port: PORT, path, headers, timeout: 5000 }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode, body }))
    })
    req.once('timeout', () => req.destroy(new Error('timeout')))
    req.once('error', reject)
    req.end()
  })
}

function runWrk(mode, cookie, duration) {
  const result = spawnSync(
    'wrk',
    [
      '-t1',
      `-c${CONNECTIONS}`,
      `-d${duration}`,
      '-H',
      `Host: ${HOST}`,
      '-H',
      `x-bench-mode: ${mode}`,
      '-H',
      `Cookie: ${cookie}`,
      `http://127.0.0.1:${PORT}/api/ping`,
    ],
    { encoding: 'utf8', env },
  )
  if (result.status !== 0) throw new Error(`wrk failed: ${result.stderr}`)
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(result.stdout)?.[1])
  const failed = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(result.stdout)?.[1] ?? 0)
  const errors = /Socket errors:.*/.exec(result.stdout)?.[0]
  return { rps, failed, errors }
}

async function main(appDir) {
  const child = spawn(next, ['start', '-p', String(PORT), '-H', '127.0.0.1'], {
    cwd: appDir,
    env: {
      ...env,
      SHARE_SYNC_KEY: generateSyncKey(),
      SHARE_APP_URL: `http://${HOST}`,
      SHARE_HOST_URL: 'http://idp-next.localhost:4341',
      BENCH_IRON_PASSWORD: randomBytes(32).toString('base64url'),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  try {
    const cookies = {}
    for (let attempt = 0; attempt < 100; attempt++) {
      if ((await get('/bench/seed', 'pass-through').catch(() => null))?.status === 200) break
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    for (const [mode] of MODES) {
      const seeded = await get('/bench/seed', mode)
      if (seeded.status !== 200) throw new Error(`${mode}: seed answered ${seeded.status}`)
      cookies[mode] = seeded.body
      // Signed in passes, anonymous does not: the measured requests are authenticated ones.
      const [signedIn, anonymous] = [
        await get('/api/ping', mode, cookies[mode]),
        await get('/api/ping', mode),
      ]
      if (signedIn.status !== 200 || anonymous.status !== 401) {
        throw new Error(`${mode}: signed in ${signedIn.status}, anonymous ${anonymous.status}`)
      }
      runWrk(mode, cookies[mode], '3s') // warm-up: JIT, the isolate's caches
    }
    const runs = Object.fromEntries(MODES.map(([mode]) => [mode, []]))
    for (let round = 0; round < ROUNDS; round++) {
      for (const [mode] of MODES) {
        const result = runWrk(mode, cookies[mode], DURATION)
        if (result.failed > 0) throw new Error(`${mode}: ${result.failed} requests were not 2xx`)
        runs[mode].push(result.rps)
      }
    }
    return runs
  } finally {
    await new Promise((resolve) => {
      if (child.exitCode !== null) return resolve()
      child.once('exit', resolve)
      child.kill('SIGTERM')
    })
  }
}

const MODES = [
  ['pass-through', 'cookie → Map'],
  ['share', '@share/next, memory store'],
  ['iron', 'iron-session 8.0.4'],
]

if (spawnSync('wrk', ['--version']).error) {
  console.error('wrk is missing: apt-get install -y wrk')
  process.exit(1)
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
const APPS = [
  ['bench-app', 'edge middleware.ts'],
  ['bench-node', 'Node proxy.ts'],
]
const tables = []
for (const [dir, label] of APPS) {
  const appDir = join(root, dir)
  const build = spawnSync(next, ['build'], {
    cwd: appDir,
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  if (build.status !== 0) process.exit(build.status ?? 1)
  const runs = await main(appDir)
  const rps = Object.fromEntries(MODES.map(([mode]) => [mode, median(runs[mode])]))
  const lines = [
    `\nnext start, ${label}, GET /api/ping with a session cookie; wrk -t1 -c${CONNECTIONS} -d${DURATION}, ${ROUNDS} rounds in turns, medians\n`,
    '| middleware | requests/s | vs pass-through | runs |',
    '| --- | --- | --- | --- |',
  ]
  for (const [mode, name] of MODES) {
    const ratio = (rps[mode] / rps['pass-through']).toFixed(2)
    const each = runs[mode].map((r) => r.toFixed(0)).join(', ')
    lines.push(`| ${name} | ${rps[mode].toFixed(0)} | ${ratio}x | ${each} |`)
  }
  lines.push(`\nShare / iron-session: ${(rps.share / rps.iron).toFixed(2)}x`)
  tables.push(lines.join('\n'))
}
console.log(tables.join('\n'))
