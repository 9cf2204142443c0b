import { isShareError } from '@share/core'
import { isAlive } from '@share/core/store'
import { type Claims, createKeyring, type Keyring, unsealSessionId } from '@share/core/token'
import { createKeys } from '@share/store-redis'
import type { OpenedStore } from '@share/store-url'
import type { Command } from 'commander'
import { detailOf, failure, openStore, PREFIX_HELP, readKeyList, STORE_HELP } from '../context.js'
import { printable, shortHash } from '../format.js'
import { type Io, usageError } from '../io.js'

interface InspectOptions {
  audience?: string
  state?: string
  store?: string
  prefix?: string
  json?: boolean
}

/** An audience no app has: what the token is opened for when --audience is not given. */
const PROBE_AUDIENCE = 'https://share-cli.invalid'
/** Past any token's expiry: issued-at fits 48 bits, a lifetime is at most 600 s. */
const LATEST = 2 ** 48 + 600_000

type Outcome = { code: string | null; claims?: Claims }

export function registerToken(program: Command, io: Io): void {
  const token = program
    .command('token')
    .description('look into hand-off tokens')
    .addHelpText(
      'after',
      '\nExample:\n  $ share token inspect "$TOKEN" --audience https://app-a.example.com',
    )
  token
    .command('inspect')
    .description(
      'with SHARE_SYNC_KEY: whether a token opens, its key id, issue and expiry times, audience, and whether it was used',
    )
    .argument('<token>', 'the token from the callback URL, or - to read it from stdin')
    .option('--audience <origin>', 'the remote the token was meant for; checked against the token')
    .option(
      '--state <state>',
      "the remote's state cookie for this hand-off; with --audience, opens the claims",
    )
    .option('--store <url>', `${STORE_HELP}; to tell whether the token was used`)
    .option('--prefix <prefix>', PREFIX_HELP)
    .option('--json', 'print the findings as JSON')
    .addHelpText(
      'after',
      [
        '',
        "Without --audience and --state the token's claims stay sealed: @share/core opens a token only",
        'for its audience and state. Key id, seal and times are found anyway. The session id is never',
        'shown, only a short hash. Pass - and pipe the token to keep it out of your shell history.',
        '',
        'Example:',
        '  $ SHARE_SYNC_KEY=share_sk1_... share token inspect - < token.txt',
        '  $ share token inspect "$TOKEN" --audience https://app-a.example.com --state "$STATE" --store redis://127.0.0.1:6379',
      ].join('\n'),
    )
    .action(async (tokenArg: string, options: InspectOptions) => {
      const keys = readKeyList(io)
      if (keys.length === 0)
        throw usageError('SHARE_SYNC_KEY is not set: the token opens only with its key')
      const text = (tokenArg === '-' ? await io.readStdin() : tokenArg).trim()
      if (text === '') throw usageError('the token is empty')
      let rings: Keyring[]
      try {
        await createKeyring(keys)
        rings = await Promise.all(keys.map((key) => createKeyring(key)))
      } catch (error) {
        throw failure(`SHARE_SYNC_KEY: ${detailOf((error as Error).message)}; run share keys check`)
      }
      const report = await inspect(text, rings, options)
      if (report.found && (options.store ?? io.env.SHARE_STORE_URL) !== undefined) {
        await addStoreFindings(report, options, io)
      } else if (report.claims === undefined) {
        report.used =
          'unknown: the token id is inside the sealed claims (give --audience and --state)'
      } else {
        report.used = 'unknown: pass --store URL to check the replay guard'
      }
      print(report, options, io)
      if (report.problem !== null) throw failure(report.problem)
    })
}

interface Report {
  found: boolean
  keyPosition: number | null
  keyId: string | null
  seal: 'intact' | 'broken' | 'unknown'
  issuedAt: number | null
  expiresAt: number | null
  audience: string
  state: string
  used: string
  session: string
  claims?: Claims
  problem: string | null
}

async function inspect(token: string, rings: Keyring[], options: InspectOptions): Promise<Report> {
  const audience = options.audience ?? PROBE_AUDIENCE
  const open = async (ring: Keyring, now: number): Promise<Outcome> => {
    try {
      const claims = await unsealSessionId(ring, token, {
        audience,
        state: options.state,
        now,
        leeway: 0,
      })
      return { code: null, claims }
    } catch (error) {
      if (isShareError(error)) return { code: error.code }
      throw error
    }
  }
  const report: Report = {
    found: false,
    keyPosition: null,
    keyId: null,
    seal: 'unknown',
    issuedAt: null,
    expiresAt: null,
    audience: 'unknown',
    state: 'unknown',
    used: 'unknown',
    session: 'unknown: the session reference is inside the sealed claims',
    problem: null,
  }
  const now = Date.now()
  // Which key opens it: one single-key keyring at a time, so the answer names the key.
  let ring: Keyring | undefined
  let outcome: Outcome = { code: 'ERR_TOKEN_UNKNOWN_KEY' }
  for (const [index, candidate] of rings.entries()) {
    outcome = await open(candidate, now)
    if (outcome.code === 'ERR_TOKEN_MALFORMED') {
      report.problem =
        'the token is malformed (not a Share token, or cut short); copy it whole from the URL'
      return report
    }
    if (outcome.code === 'ERR_TOKEN_UNKNOWN_KEY') continue
    ring = candidate
    report.keyPosition = index + 1
    report.keyId = candidate.keyIds[0]!
    break
  }
  if (ring === undefined) {
    report.problem = `the token was sealed with a key that is not in SHARE_SYNC_KEY (key ids ${rings.map((r) => r.keyIds[0]).join(', ')}); the host seals with its first key`
    return report
  }
  report.found = true
  if (outcome.code === 'ERR_TOKEN_BAD_SEAL') {
    report.seal = 'broken'
    report.problem =
      'the token failed its integrity check: it was altered, or sealed by another key with the same id'
    return report
  }
  if (outcome.code === 'ERR_TOKEN_CLAIMS_INVALID') {
    report.seal = 'intact'
    report.problem = 'the token opens but its claims are invalid (not minted by a Share host)'
    return report
  }
  report.seal = 'intact'
  const at = ring
  // The times, from where unseal's own expiry checks flip (leeway 0): no claims needed.
  report.expiresAt = await firstTrue(
    0,
    LATEST,
    async (t) => (await open(at, t)).code === 'ERR_TOKEN_EXPIRED',
  )
  report.issuedAt = await firstTrue(
    0,
    report.expiresAt - 1,
    async (t) => (await open(at, t)).code !== 'ERR_TOKEN_NOT_YET_VALID',
  )
  switch (outcome.code) {
    case 'ERR_TOKEN_EXPIRED':
      report.problem = `the token expired at ${iso(report.expiresAt)}: hand-off tokens live ${Math.round((report.expiresAt - report.issuedAt) / 1000)} s; start the sign-in again`
      break
    case 'ERR_TOKEN_NOT_YET_VALID':
      report.problem = `the token is issued in the future (${iso(report.issuedAt)}): the host's clock is ahead of this machine's`
      break
    case 'ERR_TOKEN_AUDIENCE':
      if (options.audience === undefined) {
        report.audience = 'unknown: pass --audience ORIGIN to check it'
      } else {
        report.audience = `not ${printable(options.audience)} (issued for another app)`
        report.problem = `the token was not issued for ${printable(options.audience)}`
      }
      break
    case 'ERR_TOKEN_STATE':
      report.audience = `${printable(audience)} (matches --audience)`
      if (options.state === undefined) {
        report.state = "unknown: pass --state (the remote's state cookie) to check it"
      } else {
        report.state = 'does not match --state (another browser or hand-off)'
        report.problem =
          'the state does not match: the token belongs to another browser or hand-off'
      }
      break
    case null:
      report.audience = `${printable(audience)} (matches --audience)`
      report.state = options.state === undefined ? 'none in the token' : 'matches --state'
      report.claims = outcome.claims!
      report.session = `${await shortHash(outcome.claims!.sessionId)} (not checked: pass --store URL)`
      break
  }
  return report
}

/** The smallest integer in [low, high] where `test` holds, for a test that flips once. */
async function firstTrue(
  low: number,
  high: number,
  test: (t: number) => Promise<boolean>,
): Promise<number> {
  let lo = low
  let hi = high
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2)
    if (await test(mid)) hi = mid
    else lo = mid + 1
  }
  return lo
}

async function addStoreFindings(report: Report, options: InspectOptions, io: Io): Promise<void> {
  const opened: OpenedStore = await openStore(options, io)
  try {
    const claims = report.claims
    if (claims === undefined) {
      report.used =
        'unknown: the token id is inside the sealed claims (give --audience and --state)'
      return
    }
    if (opened.redis !== undefined) {
      // The replay guard's own key (`token:<id>` under the store's nonce key), read, never set.
      const key = createKeys(opened.prefix).nonce(`token:${claims.tokenId}`)
      const used = (await opened.redis.exists(key)) === 1
      report.used = used ? 'yes: a remote already redeemed it' : 'no'
      if (used && report.problem === null) {
        report.problem =
          'the token was already used: tokens are single-use; start the sign-in again'
      }
    } else {
      report.used = `unknown: the ${opened.kind} store has no read for nonces (only a consuming set-if-absent)`
    }
    const session = await opened.store.get(claims.sessionId)
    const hash = await shortHash(claims.sessionId)
    if (session === null || !isAlive(session, Date.now())) {
      report.session = `${hash} (ended or unknown in ${opened.location})`
      if (report.problem === null)
        report.problem = 'the host session of this token has ended; sign in again'
    } else {
      report.session = `${hash} (alive, ${session.kind} session of user ${printable(session.userId)})`
    }
  } finally {
    await opened.close()
  }
}

function iso(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')}Z`
}

function print(report: Report, options: InspectOptions, io: Io): void {
  if (options.json) {
    const { claims, ...rest } = report
    io.out(
      JSON.stringify({
        ...rest,
        issuedAt: report.issuedAt === null ? null : new Date(report.issuedAt).toISOString(),
        expiresAt: report.expiresAt === null ? null : new Date(report.expiresAt).toISOString(),
        opened: claims !== undefined,
        ok: report.problem === null,
      }),
    )
    return
  }
  const role = report.keyPosition === 1 ? 'the sealing key' : 'an opening-only key'
  const lines: [string, string][] = [
    [
      'key',
      report.found
        ? `#${report.keyPosition} of SHARE_SYNC_KEY, key id ${report.keyId} (${role})`
        : 'not in SHARE_SYNC_KEY',
    ],
    ['seal', report.seal],
  ]
  if (report.issuedAt !== null && report.expiresAt !== null) {
    const left = Math.round((report.expiresAt - Date.now()) / 1000)
    lines.push(['issued', iso(report.issuedAt)])
    lines.push([
      'expires',
      `${iso(report.expiresAt)} (${left > 0 ? `${left} s left` : `expired ${-left} s ago`}; lifetime ${Math.round((report.expiresAt - report.issuedAt) / 1000)} s)`,
    ])
  }
  if (report.found && report.seal === 'intact') {
    lines.push(['audience', report.audience], ['state', report.state])
    lines.push(['used', report.used], ['session', report.session])
  }
  for (const [label, value] of lines) io.out(`${label.padEnd(9)}${value}`)
  io.out(report.problem === null ? 'verdict  opens' : `verdict  refused: ${report.problem}`)
}
