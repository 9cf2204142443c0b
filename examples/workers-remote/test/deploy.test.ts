// `wrangler deploy --dry-run` bundles the example as a deploy would (no account, no upload):
// the Worker builds with wrangler's own bundler, within the Workers script size limit.
import { execFile } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, expect, it } from 'vitest'
import { PACKAGE_DIR } from './wrangler.ts'

const run = promisify(execFile)
const outdir = mkdtempSync(join(tmpdir(), 'share-workers-deploy-'))

afterAll(() => rmSync(outdir, { recursive: true, force: true }))

it('bundles for deploy with wrangler deploy --dry-run, under the 3 MiB gzip limit', async () => {
  const { stdout } = await run(
    join(PACKAGE_DIR, 'node_modules', '.bin', 'wrangler'),
    ['deploy', '--dry-run', '--outdir', outdir, '--config', join(PACKAGE_DIR, 'wrangler.jsonc')],
    {
      cwd: PACKAGE_DIR,
      env: {
        ...process.env,
        WRANGLER_SEND_METRICS: 'false',
        WRANGLER_LOG_PATH: join(outdir, 'logs'),
        WRANGLER_BUILD_CONDITIONS: '@share/source,workerd,worker,browser',
      },
    },
  )
  expect(stdout).toContain('--dry-run: exiting now.')
  const gzipKiB = Number(/gzip: ([\d.]+) KiB/.exec(stdout)?.[1])
  expect(gzipKiB).toBeGreaterThan(0)
  expect(gzipKiB).toBeLessThan(3 * 1024)
  const bundle = readdirSync(outdir).find((name) => name.endsWith('.js'))
  expect(bundle).toBeDefined()
  expect(statSync(join(outdir, bundle!)).size).toBeGreaterThan(1000)
}, 60_000)
