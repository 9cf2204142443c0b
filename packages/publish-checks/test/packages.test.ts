import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { publint } from 'publint'
import { formatMessage } from 'publint/utils'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pack, publishedPackages } from './workspace.js'

const packages = publishedPackages()
const work = mkdtempSync(join(tmpdir(), 'share-publish-'))
const tarballs = new Map<string, string>()

/**
 * Packages whose peer is a whole framework the registry would otherwise pull in at its newest
 * (Next.js: hundreds of MB, and newer majors need Node 22): installed without their peers, which
 * the test then takes from this workspace.
 */
const FRAMEWORK_PEERS: Readonly<Record<string, string>> = {
  '@share/next': join(import.meta.dirname, '..', '..', '..', 'adapters', 'next', 'node_modules'),
}

beforeAll(() => {
  for (const pkg of packages) tarballs.set(pkg.name, pack(pkg, work))
  // One project installing every tarball, as a user's app would.
  writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'smoke', private: true }))
  const npmInstall = (args: string[]) =>
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...args], {
      cwd: work,
      stdio: 'inherit',
    })
  const plain = [...tarballs].filter(([name]) => !(name in FRAMEWORK_PEERS)).map(([, t]) => t)
  npmInstall(plain)
  // Apart, so skipping peers there cannot prune the peers installed here; core comes along.
  const framed = [...tarballs].filter(([name]) => name in FRAMEWORK_PEERS).map(([, t]) => t)
  if (framed.length > 0) {
    mkdirSync(join(work, 'framed'))
    writeFileSync(
      join(work, 'framed', 'package.json'),
      JSON.stringify({ name: 'framed', private: true }),
    )
    execFileSync(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
        '--legacy-peer-deps',
        tarballs.get('@share/core')!,
        ...framed,
      ],
      { cwd: join(work, 'framed'), stdio: 'inherit' },
    )
  }
})

afterAll(() => rmSync(work, { recursive: true, force: true }))

/** Runs a script file in the install project with plain Node; returns its stdout. */
function runScript(file: string, code: string, env: Record<string, string> = {}): string {
  writeFileSync(join(work, file), code)
  return execFileSync(process.execPath, [join(work, file)], {
    cwd: join(work, file, '..'),
    encoding: 'utf8',
    env: { ...process.env, ...env },
  })
}

it('finds the published packages, and depends on each so turbo builds them first', () => {
  expect(packages.map((pkg) => pkg.name)).toContain('@share/core')
  const own = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8'))
  for (const pkg of packages)
    expect(own.devDependencies, pkg.name).toHaveProperty(pkg.name, 'workspace:*')
})

describe.each(packages)('$name as published', (pkg) => {
  it('passes publint (strict)', async () => {
    const { messages, pkg: manifest } = await publint({
      pkgDir: pkg.dir,
      strict: true,
      pack: 'pnpm',
    })
    expect(messages.map((message) => formatMessage(message, manifest))).toEqual([])
  })

  it('passes are-the-types-wrong', () => {
    const attw = join(import.meta.dirname, '..', 'node_modules', '.bin', 'attw')
    // ESM-only packages are judged without the CommonJS resolution modes.
    const profile = pkg.cjs ? 'strict' : 'esm-only'
    const result = spawnSync(
      attw,
      [tarballs.get(pkg.name)!, '--profile', profile, '--format', 'table-flipped'],
      {
        encoding: 'utf8',
      },
    )
    // attw exits non-zero when any resolution mode of the profile gets the types wrong.
    expect(result.status, result.stdout + result.stderr).toBe(0)
  })

  // One import test per package, fitted to what it ships (no skipped tests).
  const peers = FRAMEWORK_PEERS[pkg.name]
  if (peers !== undefined) {
    it('loads from a plain CJS script with its framework; plain ESM cannot resolve next/server', () => {
      const cjs = runScript(
        'framed/check-framed.cjs',
        `const m = require(${JSON.stringify(pkg.name)}); console.log(JSON.stringify(Object.keys(m).sort()))`,
        { NODE_PATH: peers },
      )
      expect(JSON.parse(cjs)).toContain('createShareNext')
      // Next ships no exports map, so Node's ESM resolver cannot find `next/server` outside a
      // bundler; inside Next (the only place this package runs) it bundles fine.
      expect(() =>
        runScript('framed/check-framed.mjs', `await import(${JSON.stringify(pkg.name)})`, {
          NODE_PATH: peers,
        }),
      ).toThrow(/Cannot find (package 'next'|module .*next\/server)/)
    })
    return
  }
  if (!pkg.cjs) {
    it('loads from a plain ESM script (ESM-only package)', () => {
      const esm = runScript(
        'check-esm.mjs',
        `const m = await import(${JSON.stringify(pkg.name)}); console.log(JSON.stringify(Object.keys(m)))`,
      )
      expect(JSON.parse(esm).length).toBeGreaterThan(0)
    })
    return
  }

  it('loads from a plain ESM script and a plain CJS script with the same exports', () => {
    const esm = runScript(
      'check-esm.mjs',
      `const m = await import(${JSON.stringify(pkg.name)}); console.log(JSON.stringify(Object.keys(m).sort()))`,
    )
    const cjs = runScript(
      'check-cjs.cjs',
      `const m = require(${JSON.stringify(pkg.name)}); console.log(JSON.stringify(Object.keys(m).sort()))`,
    )
    const names = JSON.parse(esm) as string[]
    expect(names.length).toBeGreaterThan(0)
    expect(JSON.parse(cjs)).toEqual(names.filter((name) => name !== 'default'))
  })
})

describe('@share/core from the installed tarball', () => {
  const roundTrip = (load: string) => `
    const core = ${load}
    const keyring = await core.createKeyring(core.generateSyncKey())
    const token = await core.sealSessionId(keyring, { sessionId: 'abc', audience: 'https://a.example.com' })
    const claims = await core.unsealSessionId(keyring, token, { audience: 'https://a.example.com' })
    console.log(claims.sessionId)`

  it('seals and opens a token from ESM', () => {
    expect(runScript('core-esm.mjs', roundTrip(`await import('@share/core/token')`)).trim()).toBe(
      'abc',
    )
  })

  it.each(['store', 'token'])(
    'subpath @share/core/%s loads from ESM and CJS with the same exports',
    (subpath) => {
      const name = JSON.stringify(`@share/core/${subpath}`)
      const esm = runScript(
        `sub-${subpath}.mjs`,
        `const m = await import(${name}); console.log(JSON.stringify(Object.keys(m).sort()))`,
      )
      const cjs = runScript(
        `sub-${subpath}.cjs`,
        `const m = require(${name}); console.log(JSON.stringify(Object.keys(m).sort()))`,
      )
      expect(JSON.parse(esm).length).toBeGreaterThan(3)
      expect(JSON.parse(cjs)).toEqual(JSON.parse(esm))
    },
  )

  it('a synchronous factory: the remote exists at once and derives its keys on ready()', () => {
    const code = `
      const core = await import('@share/core')
      const remote = core.createShareRemote({ syncKey: core.generateSyncKey(), appUrl: 'https://a.example.com',
        hostUrl: 'https://h.example.com', store: core.createMemoryStore() })
      console.log(typeof remote.handle, remote.cookieName, await remote.ready())`
    expect(runScript('core-sync.mjs', code).trim()).toBe('function __Host-share_session undefined')
  })

  it('seals and opens a token from CJS', () => {
    const code = `(async () => { ${roundTrip(`require('@share/core/token')`)} })().catch((e) => { console.error(e); process.exit(1) })`
    expect(runScript('core-cjs.cjs', code).trim()).toBe('abc')
  })
})
