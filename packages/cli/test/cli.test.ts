import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { createSessionEngine, generateSyncKey, type SessionEngine } from '@share/core'
import { createKeyring, sealSessionId, unsealSessionId } from '@share/core/token'
import { scriptSha1, scriptsFor } from '@share/store-redis'
import { type OpenedStore, storeFromUrl } from '@share/store-url'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deleteKeysUnder, SHARED_REDIS_URL } from '../../store-redis/test/servers.ts'
import { type Result, share } from './bin.ts'

const PREFIX = `share-cli-test-${process.pid}-${Date.now()}:`
const KEY = generateSyncKey()
const OLD_KEY = generateSyncKey()
const REMOTE = 'http://app-a.localhost:4001'
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0'
const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1'

const dir = mkdtempSync(join(tmpdir(), 'share-cli-'))
const redisEnv = {
  SHARE_STORE_URL: SHARED_REDIS_URL,
  SHARE_STORE_PREFIX: PREFIX,
  SHARE_SYNC_KEY: KEY,
}
const secrets: string[] = [KEY, OLD_KEY]

let redis: OpenedStore
let engine: SessionEngine

beforeAll(async () => {
  redis = storeFromUrl(SHARED_REDIS_URL, { prefix: PREFIX })
  await redis.ready()
  engine = createSessionEngine({ syncKey: KEY, store: redis.store })
})

afterAll(async () => {
  await redis?.close()
  const admin = new Redis(SHARED_REDIS_URL)
  await deleteKeysUnder(admin, PREFIX)
  admin.disconnect()
  rmSync(dir, { recursive: true, force: true })
})

/** Signs a user in on two devices, one of which reached a remote; returns the host sessions. */
async function signIn(userId: string, target: SessionEngine = engine) {
  const laptop = await target.create({
    userId,
    client: { ip: '203.0.113.7', userAgent: FIREFOX },
    rememberMe: true,
  })
  const phone = await target.create({ userId, client: { ip: '198.51.100.2', userAgent: IPHONE } })
  const linked = await target.link({ hostSessionId: laptop.session.id, audience: REMOTE })
  secrets.push(laptop.session.id, phone.session.id, linked.session.id, laptop.cookie, phone.cookie)
  return { laptop: laptop.session, phone: phone.session, linked: linked.session }
}

/**
 * The store's Lua scripts the commands under this run's prefix call, by name, watched with
 * MONITOR on the shared Redis (other keys, of other runs, are ignored).
 */
async function watchScripts(): Promise<{ stop(): Promise<string[]> }> {
  const names = new Map<string, string>()
  for (const script of Object.values(scriptsFor(PREFIX))) {
    names.set(await scriptSha1(script.source), script.name)
  }
  // redis-cli, not ioredis' monitor(): other packages' tests use this Redis at the same time, and
  // ioredis fails with "Command queue state error" when their MONITOR lines race its own reply.
  const monitor = spawn('redis-cli', ['-u', SHARED_REDIS_URL, 'monitor'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const lines = createInterface({ input: monitor.stdout! })
  const seen: string[] = []
  const marker = `${PREFIX}monitor-marker-${Math.random()}`
  let markerSeen: () => void = () => {}
  const done = new Promise<void>((resolve) => {
    markerSeen = resolve
  })
  let started: () => void = () => {}
  const ready = new Promise<void>((resolve) => {
    started = resolve
  })
  lines.on('line', (line) => {
    if (line === 'OK') return started()
    // 1796198150.541826 [0 127.0.0.1:54022] "EVALSHA" "<sha>" "1" "<key>" ...
    const args = [...line.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1] ?? '')
    if (args[1] === marker) return markerSeen()
    const [command, sha, , key] = args
    if (command?.toLowerCase() !== 'evalsha' || !key?.startsWith(PREFIX)) return
    seen.push(names.get(sha ?? '') ?? 'unknown')
  })
  await ready
  return {
    async stop() {
      // MONITOR lines arrive after the commands: wait for a marker sent last.
      const admin = new Redis(SHARED_REDIS_URL)
      await admin.exists(marker)
      await done
      admin.disconnect()
      monitor.kill()
      return seen
    },
  }
}

/** No secret, no stack trace, whatever the command printed. */
function clean(result: Result): Result {
  const all = result.stdout + result.stderr
  for (const secret of secrets) expect(all).not.toContain(secret)
  expect(all).not.toMatch(/\n\s+at .+:\d+:\d+/)
  return result
}

describe('keygen', () => {
  it('prints a new key on stdout and where it goes on stderr', async () => {
    const result = await share(['keygen'])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^share_sk1_[A-Za-z0-9_-]{43}\n$/)
    expect(result.stderr).toContain('SHARE_SYNC_KEY')
    const again = await share(['keygen'])
    expect(again.stdout).not.toBe(result.stdout)
  })

  it('--json gives the key, its id and the variable', async () => {
    const result = await share(['keygen', '--json'])
    expect(result.code).toBe(0)
    const parsed = JSON.parse(result.stdout) as { syncKey: string; keyId: string; env: string }
    expect(parsed.env).toBe('SHARE_SYNC_KEY')
    expect(parsed.keyId).toBe((await createKeyring(parsed.syncKey)).keyIds[0])
  })
})

describe('help and usage errors', () => {
  const commands = [
    [],
    ['keygen'],
    ['sessions'],
    ['sessions', 'list'],
    ['sessions', 'revoke'],
    ['sweep'],
    ['stats'],
    ['keys'],
    ['keys', 'check'],
    ['token'],
    ['token', 'inspect'],
  ]
  it('has --help with an example on every command', async () => {
    const results = await Promise.all(commands.map((command) => share([...command, '--help'])))
    for (const [i, result] of results.entries()) {
      expect(result.code, commands[i]!.join(' ')).toBe(0)
      expect(result.stdout, commands[i]!.join(' ')).toContain('Example:')
      expect(result.stdout).toMatch(/\n {2}\$ (\S+=\S+ )*share /)
    }
  })

  it('exits 2 with one line on stderr for usage errors, and never a stack trace', async () => {
    const cases = [
      ['nope'],
      ['keygen', '--bogus'],
      ['sessions', 'list'],
      ['sessions', 'list', '--user'],
      ['token', 'inspect'],
      ['sessions', 'revoke', 'h1', '--user', 'u', '--except', 'h2', '--store', 'fs:/tmp/x'],
      ['sessions', 'list', '--user', 'alice'],
      ['sweep', '--store', 'ftp://admin:hunter2@example.com'],
      ['sessions', 'revoke', '--user', 'u', '-AbC12'],
    ]
    const results = await Promise.all(cases.map((args) => share(args)))
    for (const [i, result] of results.entries()) {
      clean(result)
      expect(result.code, cases[i]!.join(' ')).toBe(2)
      expect(result.stdout).toBe('')
      expect(result.stderr.trim().split('\n').length, result.stderr).toBeLessThanOrEqual(2)
    }
    expect(results[2]!.stderr).toContain("'--user <id>'")
    expect(results[5]!.stderr).toContain('not both')
    expect(results[6]!.stderr).toContain('SHARE_STORE_URL')
    expect(results[7]!.stderr).toContain('"ftp:"')
    expect(results[7]!.stderr).toContain('redis+cluster://')
    expect(results[7]!.stderr).not.toContain('hunter2')
    expect(results[8]!.stderr).toContain('starts with - goes after --')
  })

  it('refuses memory: and says why', async () => {
    const result = clean(await share(['sessions', 'list', '--user', 'a', '--store', 'memory:']))
    expect(result.code).toBe(2)
    expect(result.stderr).toContain("a CLI cannot see another process's memory")
  })

  it('exits 1 on an unreachable store, with a stack only under --debug', async () => {
    const args = ['sessions', 'list', '--user', 'a', '--store', 'redis://:pa55word@127.0.0.1:4799']
    const plain = await share(args)
    expect(plain.code).toBe(1)
    expect(plain.stderr).toContain('redis://127.0.0.1:4799')
    expect(plain.stderr).not.toContain('pa55word')
    expect(plain.stderr.trim().split('\n')).toHaveLength(1)
    clean(plain)
    const debug = await share([...args, '--debug'])
    expect(debug.code).toBe(1)
    expect(debug.stderr).toMatch(/\n\s+at /)
  })
})

describe('sessions on Redis', () => {
  it('lists the sessions as a table and as JSON', async () => {
    const { laptop, phone } = await signIn('alice')
    const table = clean(await share(['sessions', 'list', '--user', 'alice'], { env: redisEnv }))
    expect(table.code).toBe(0)
    const lines = table.stdout.trim().split('\n')
    expect(lines[0]).toMatch(
      /^HANDLE\s+DEVICE\s+IP\s+CREATED\s+LAST SEEN\s+REMOTES\s+EXPIRES\s+REMEMBER$/,
    )
    expect(lines).toHaveLength(3)
    const laptopLine = lines.find((line) => line.startsWith(laptop.handle))!
    expect(laptopLine).toContain('Firefox on Linux')
    expect(laptopLine).toContain('203.0.113.7')
    expect(laptopLine).toContain('app-a.localhost:4001')
    expect(laptopLine).toMatch(/yes$/)
    const phoneLine = lines.find((line) => line.startsWith(phone.handle))!
    expect(phoneLine).toContain('Safari on iOS')
    expect(phoneLine).toMatch(/no$/)

    const json = clean(
      await share(['sessions', 'list', '--user', 'alice', '--json'], { env: redisEnv }),
    )
    const parsed = JSON.parse(json.stdout) as Array<Record<string, unknown>>
    expect(parsed.map((row) => row.handle).sort()).toEqual([laptop.handle, phone.handle].sort())
    const first = parsed.find((row) => row.handle === laptop.handle)!
    expect(first).toMatchObject({ device: 'Firefox on Linux', ip: '203.0.113.7', rememberMe: true })
    expect((first.remotes as Array<{ audience: string }>)[0]!.audience).toBe(REMOTE)

    const none = await share(['sessions', 'list', '--user', 'nobody'], { env: redisEnv })
    expect(none.code).toBe(0)
    expect(none.stdout).toContain('No live sessions for user nobody')
  })

  it('revokes one session by handle, with its linked sessions', async () => {
    const { laptop, phone, linked } = await signIn('bob')
    const result = clean(
      await share(['sessions', 'revoke', '--user', 'bob', '--', laptop.handle], { env: redisEnv }),
    )
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toContain('Revoked 1 session of user bob')
    expect(result.stdout).toContain(laptop.handle)
    expect((await engine.list('bob')).map((s) => s.handle)).toEqual([phone.handle])
    expect(await redis.store.get(linked.id)).toBeNull()

    const again = clean(
      await share(['sessions', 'revoke', '--user', 'bob', '--', laptop.handle], { env: redisEnv }),
    )
    expect(again.code).toBe(1)
    expect(again.stderr).toContain('no live session with handle')
    // Another user's handle finds nothing.
    const other = await share(['sessions', 'revoke', '--user', 'alice', '--', phone.handle], {
      env: redisEnv,
    })
    expect(other.code).toBe(1)
    expect(await engine.list('bob')).toHaveLength(1)
  })

  it('revokes all but one with --except, and all without a handle', async () => {
    const { laptop, phone } = await signIn('carol')
    const third = await engine.create({ userId: 'carol' })
    secrets.push(third.session.id)
    const scripts = await watchScripts()
    const except = clean(
      await share(['sessions', 'revoke', '--user', 'carol', '--except', phone.handle], {
        env: redisEnv,
      }),
    )
    // One store operation ends both others (the engine's deleteUser with an exception), not one delete each.
    expect(await scripts.stop()).toEqual(['list', 'list', 'delete-user'])
    expect(except.code).toBe(0)
    expect(except.stdout).toContain('Revoked 2 sessions of user carol')
    expect(except.stdout).toContain(laptop.handle)
    expect(except.stdout).toContain(`Kept ${phone.handle}`)
    expect((await engine.list('carol')).map((s) => s.handle)).toEqual([phone.handle])

    const unknown = await share(['sessions', 'revoke', '--user', 'carol', '--except', 'nope'], {
      env: redisEnv,
    })
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain('nothing was revoked')
    expect(await engine.list('carol')).toHaveLength(1)

    const all = clean(
      await share(['sessions', 'revoke', '--user', 'carol', '--json'], { env: redisEnv }),
    )
    expect(all.code).toBe(0)
    expect(JSON.parse(all.stdout)).toMatchObject({
      userId: 'carol',
      revoked: [{ handle: phone.handle }],
    })
    expect(await engine.list('carol')).toEqual([])
  })

  it('counts sessions with stats', async () => {
    const statsPrefix = `${PREFIX}stats:`
    const store = storeFromUrl(SHARED_REDIS_URL, { prefix: statsPrefix })
    try {
      await store.ready()
      const statsEngine = createSessionEngine({ syncKey: KEY, store: store.store })
      await signIn('dave', statsEngine)
      await signIn('erin', statsEngine)
      const result = clean(
        await share(['stats', '--json'], { env: { ...redisEnv, SHARE_STORE_PREFIX: statsPrefix } }),
      )
      expect(result.code).toBe(0)
      expect(JSON.parse(result.stdout)).toMatchObject({
        hostSessions: 4,
        linkedSessions: 2,
        users: 2,
        perRemote: { [REMOTE]: 2 },
      })
      const text = await share(['stats'], { env: { ...redisEnv, SHARE_STORE_PREFIX: statsPrefix } })
      expect(text.stdout).toMatch(/host sessions\s+4/)
    } finally {
      await store.close()
    }
  })

  it('says that sweep has nothing to do on Redis', async () => {
    const result = clean(await share(['sweep'], { env: redisEnv }))
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('native TTL')
    const json = await share(['sweep', '--json'], { env: redisEnv })
    expect(JSON.parse(json.stdout)).toMatchObject({
      scanned: 0,
      removed: 0,
      kept: 0,
      nativeTtl: true,
    })
  })
})

/**
 * On an fs store: a session of `<user>-earlier` signed in three hours ago (past the 30-minute
 * idle timeout; no per-user limit, whose listing would reap it at once) and a live one of `user`.
 */
async function expiredAndLive(
  fs: OpenedStore,
  userId: string,
  client?: { ip: string; userAgent: string },
) {
  const options = { syncKey: KEY, store: fs.store, session: { allowNonAtomicStore: true } }
  const past = createSessionEngine({
    ...options,
    session: { ...options.session, maxSessionsPerUser: null },
    now: () => Date.now() - 3 * 3600_000,
  })
  const old = await past.create({ userId: `${userId}-earlier` })
  const live = await createSessionEngine(options).create({ userId, client })
  secrets.push(old.session.id, live.session.id)
  return { old, live }
}

describe('the fs store', () => {
  it('lists, sweeps an expired record and counts', async () => {
    const url = `fs:${dir}/store`
    const fs = storeFromUrl(url)
    try {
      const { old, live } = await expiredAndLive(fs, 'frank', {
        ip: '192.0.2.1',
        userAgent: FIREFOX,
      })

      const before = JSON.parse((await share(['stats', '--json', '--store', url])).stdout)
      expect(before).toMatchObject({ hostSessions: 1, users: 1, expired: 1 })

      const list = clean(await share(['sessions', 'list', '--user', 'frank', '--store', url]))
      expect(list.code).toBe(0)
      expect(list.stdout).toContain(live.session.handle)
      expect(list.stdout).not.toContain(old.session.handle)

      const sweep = clean(await share(['sweep', '--store', url]))
      expect(sweep.code).toBe(0)
      expect(sweep.stdout.trim().split('\n')).toHaveLength(1)
      expect(sweep.stdout).toMatch(
        /^Swept fs:.+ in \d+ ms: scanned 2 session records, removed 1 expired, kept 1\.$/m,
      )
      const twice = await share(['sweep', '--json', '--store', url])
      expect(JSON.parse(twice.stdout)).toMatchObject({
        scanned: 1,
        removed: 0,
        kept: 1,
        nativeTtl: false,
      })

      const after = JSON.parse((await share(['stats', '--json', '--store', url])).stdout)
      expect(after).toMatchObject({ hostSessions: 1, users: 1, expired: 0 })

      // The replay guard is read on fs too (hasKey), never set by the inspection.
      const keyring = await createKeyring(KEY)
      const token = await sealSessionId(keyring, { sessionId: live.session.id, audience: REMOTE })
      secrets.push(token)
      const { tokenId } = await unsealSessionId(keyring, token, { audience: REMOTE })
      const inspect = ['token', 'inspect', '--store', url, '--', token]
      const env = { SHARE_SYNC_KEY: KEY }
      const fresh = clean(await share(inspect, { env }))
      expect(fresh.code, fresh.stderr).toBe(0)
      expect(fresh.stdout).toMatch(/used +no/)
      expect(fresh.stdout).toMatch(/session +ref \S+ \(alive, host session of user frank\)/)
      expect(await fs.store.hasKey(`token:${tokenId}`)).toBe(false)
      expect(await fs.store.setIfAbsent(`token:${tokenId}`, 60)).toBe(true)
      const used = clean(await share(inspect, { env }))
      expect(used.code).toBe(1)
      expect(used.stdout).toMatch(/used +yes/)
      expect(await fs.store.get(old.session.id)).toBeNull()
      expect(await fs.store.get(live.session.id)).not.toBeNull()
    } finally {
      await fs.close()
    }
  })
})

describe('sweep on a terminal', () => {
  it('draws a progress bar of the records looked at, then clears it and prints the summary', async () => {
    const url = `fs:${dir}/terminal`
    const fs = storeFromUrl(url)
    try {
      await expiredAndLive(fs, 'gus')
    } finally {
      await fs.close()
    }
    const result = clean(await share(['sweep', '--store', url], { terminal: true }))
    expect(result.code, result.stdout).toBe(0)
    expect(result.stdout).toContain(`\r\u001b[2K[${'#'.repeat(30)}] 2/2 records`)
    // The bar is cleared (carriage return, erase line) before the summary.
    const summary = result.stdout.split('\r\u001b[2K').at(-1)
    expect(summary).toMatch(/^Swept fs:.+: scanned 2 session records, removed 1 expired, kept 1\./)
    // Not on a terminal: no bar, no control sequence, the summary alone.
    const piped = await share(['sweep', '--store', url])
    expect(piped.stdout + piped.stderr).not.toContain('\u001b')
  })
})

describe('keys check', () => {
  it('names the sealing key and the opening-only ones by id', async () => {
    const ids = [(await createKeyring(KEY)).keyIds[0]!, (await createKeyring(OLD_KEY)).keyIds[0]!]
    const result = clean(
      await share(['keys', 'check'], { env: { SHARE_SYNC_KEY: `${KEY}, ${OLD_KEY}` } }),
    )
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('SHARE_SYNC_KEY holds 2 keys')
    expect(result.stdout).toMatch(new RegExp(`#1 +key id ${ids[0]} +seals and opens`))
    expect(result.stdout).toMatch(new RegExp(`#2 +key id ${ids[1]} +opens only`))
  })

  it('exits 1 on a malformed key, without printing it', async () => {
    const bad = `share_sk1_${'x'.repeat(20)}`
    secrets.push(bad)
    const result = clean(
      await share(['keys', 'check'], { env: { SHARE_SYNC_KEY: `${KEY},${bad}` } }),
    )
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/#2 +problem: has the wrong length or prefix/)
    expect(result.stderr).toContain('key #2 of SHARE_SYNC_KEY has the wrong length')
    expect(result.stderr.trim().split('\n')).toHaveLength(1)
  })

  it('exits 1 on a duplicated key and 2 when none is set', async () => {
    const dup = clean(
      await share(['keys', 'check', '--json'], {
        env: { SHARE_SYNC_KEY: `${KEY},${OLD_KEY},${KEY}` },
      }),
    )
    expect(dup.code).toBe(1)
    const parsed = JSON.parse(dup.stdout) as {
      ok: boolean
      keys: Array<{ problem: string | null }>
    }
    expect(parsed.ok).toBe(false)
    expect(parsed.keys[2]!.problem).toBe('repeats key #1')
    expect(dup.stderr).toContain('key #3 of SHARE_SYNC_KEY repeats key #1')
    const none = await share(['keys', 'check'])
    expect(none.code).toBe(2)
    expect(none.stderr).toContain('SHARE_SYNC_KEY is not set')
  })
})

describe('token inspect', () => {
  const state = 'c3RhdGUtZm9yLXRoaXMtYnJvd3Nlcg'

  async function mint(options: { now?: number; key?: string } = {}) {
    const { laptop } = await signIn(`tokens-${secrets.length}`)
    const keyring = await createKeyring(options.key ?? KEY)
    const token = await sealSessionId(
      keyring,
      { sessionId: laptop.id, audience: REMOTE, state },
      options.now === undefined ? {} : { now: options.now },
    )
    secrets.push(token)
    const claims = await unsealSessionId(keyring, token, {
      audience: REMOTE,
      state,
      ...(options.now === undefined ? {} : { now: options.now }),
    })
    return { token, claims, session: laptop }
  }

  const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')}Z`

  it('finds the key, the seal and the times of a token without its audience', async () => {
    const { token, claims } = await mint()
    const keyId = (await createKeyring(KEY)).keyIds[0]!
    const result = clean(
      await share(['token', 'inspect', '--', token], {
        env: { SHARE_SYNC_KEY: `${OLD_KEY},${KEY}` },
      }),
    )
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(`#2 of SHARE_SYNC_KEY, key id ${keyId} (an opening-only key)`)
    expect(result.stdout).toMatch(/seal +intact/)
    expect(result.stdout).toContain(`issued   ${iso(claims.issuedAt)}`)
    expect(result.stdout).toContain(`expires  ${iso(claims.expiresAt)}`)
    expect(result.stdout).toContain('lifetime 60 s')
    // With the key, core opens the claims without the audience: shown, but not checked.
    expect(result.stdout).toMatch(
      /audience +http:\/\/app-a\.localhost:4001 \(not checked: pass --audience\)/,
    )
    expect(result.stdout).toMatch(/state +present \(not checked: pass --state\)/)
    expect(result.stdout).toMatch(/used +unknown: pass --store URL/)
    expect(result.stdout).toMatch(
      /session +ref [A-Za-z0-9_-]{12} \(not checked: pass --store URL\)/,
    )
    expect(result.stdout).toMatch(/log ref +[A-Za-z0-9_-]{12} /)
    expect(result.stdout).not.toContain(state)
    expect(result.stdout).toMatch(/verdict +opens/)
  })

  it('opens the claims with audience and state, and reads the replay guard without consuming it', async () => {
    const { token, claims } = await mint()
    const args = ['token', 'inspect', '-', '--audience', REMOTE, '--state', state]
    const fresh = clean(await share(args, { env: redisEnv, input: `${token}\n` }))
    expect(fresh.code).toBe(0)
    expect(fresh.stdout).toMatch(/audience +http:\/\/app-a\.localhost:4001 \(matches --audience\)/)
    expect(fresh.stdout).toMatch(/used +no/)
    expect(fresh.stdout).toMatch(/state +present \(matches --state\)/)
    expect(fresh.stdout).toMatch(
      /session +ref [A-Za-z0-9_-]{12} \(alive, host session of user tokens-/,
    )
    // Inspecting twice still finds it unused: the inspection consumed nothing.
    const twice = await share(args, { env: redisEnv, input: token })
    expect(twice.stdout).toMatch(/used +no/)
    // What a remote's replay guard does on redemption.
    expect(await redis.store.setIfAbsent(`token:${claims.tokenId}`, 60)).toBe(true)
    const used = clean(await share(args, { env: redisEnv, input: token }))
    expect(used.code).toBe(1)
    expect(used.stdout).toMatch(/used +yes/)
    expect(used.stderr).toContain('already used')
  })

  it('refuses a tampered token, an unknown key, a malformed token, another audience and an expired one', async () => {
    const { token } = await mint()
    const at = token.length - 5
    const tampered = token.slice(0, at) + (token[at] === 'A' ? 'B' : 'A') + token.slice(at + 1)
    secrets.push(tampered)
    const env = { SHARE_SYNC_KEY: KEY }
    const broken = clean(await share(['token', 'inspect', '--', tampered], { env }))
    expect(broken.code).toBe(1)
    expect(broken.stdout).toMatch(/seal +broken/)
    expect(broken.stderr).toContain('failed its integrity check')

    const unknown = clean(
      await share(['token', 'inspect', '--', token], { env: { SHARE_SYNC_KEY: OLD_KEY } }),
    )
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain('not in SHARE_SYNC_KEY')

    const malformed = clean(await share(['token', 'inspect', 'not-a-token'], { env }))
    expect(malformed.code).toBe(1)
    expect(malformed.stderr).toContain('malformed')

    const other = clean(
      await share(['token', 'inspect', '--audience', 'https://other.example', '--', token], {
        env,
      }),
    )
    expect(other.code).toBe(1)
    expect(other.stderr).toContain(`issued for ${REMOTE}, not for the --audience given`)

    const wrongState = clean(
      await share(['token', 'inspect', '--state', 'another-state', '--', token], { env }),
    )
    expect(wrongState.code).toBe(1)
    expect(wrongState.stdout).toMatch(/state +present \(does not match --state\)/)

    const expired = await mint({ now: Date.now() - 10 * 60_000 })
    const late = clean(await share(['token', 'inspect', '--', expired.token], { env }))
    expect(late.code).toBe(1)
    expect(late.stdout).toContain(`expires  ${iso(expired.claims.expiresAt)}`)
    expect(late.stderr).toContain('expired')

    const noKey = await share(['token', 'inspect', '--', token])
    expect(noKey.code).toBe(2)
  })
})
