import type { TokenReport } from '@share/core'
import {
  createKeyring,
  type InspectedClaims,
  inspectToken,
  type TokenInspection,
  type TokenRefusal,
} from '@share/core/token'
import type { Command } from 'commander'
import {
  detailOf,
  engineFor,
  failure,
  PREFIX_HELP,
  readKeyList,
  STORE_HELP,
  withStore,
} from '../context.js'
import { printable } from '../format.js'
import { type Io, usageError } from '../io.js'

interface InspectOptions {
  audience?: string
  state?: string
  store?: string
  prefix?: string
  json?: boolean
}

/** What core found, and from the store (when one was given) the replay guard and the session. */
type Findings = TokenInspection & Partial<Pick<TokenReport, 'used' | 'session'>>

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
      'with SHARE_SYNC_KEY: whether a token opens, its key id, audience, issue and expiry times, and whether it was used',
    )
    .argument('<token>', 'the token from the callback URL, or - to read it from stdin')
    .option('--audience <origin>', 'the remote the token was meant for; checked against the token')
    .option('--state <state>', "the remote's state cookie for this hand-off; checked against it")
    .option('--store <url>', `${STORE_HELP}; to tell whether the token was used`)
    .option('--prefix <prefix>', PREFIX_HELP)
    .option('--json', 'print the findings as JSON')
    .addHelpText(
      'after',
      [
        '',
        'The session id is never shown, only a short keyed hash; the state only as present or not.',
        'Pass - and pipe the token to keep it out of your shell history.',
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
      const keyring = await createKeyring(keys).catch((error: Error) => {
        throw failure(`SHARE_SYNC_KEY: ${detailOf(error.message)}; run share keys check`)
      })
      const checks = { audience: options.audience, state: options.state }
      const found: Findings =
        (options.store ?? io.env.SHARE_STORE_URL) === undefined
          ? await inspectToken(keyring, text, checks)
          : await withStore(options, io, (opened) =>
              engineFor(opened, io).inspectToken(text, checks),
            )
      const problem = problemOf(found)
      print(found, problem, keyring.keyIds, options, io)
      if (problem !== null) throw failure(problem)
    })
}

/** Why a remote would refuse the token, in words, or null when every check made passed. */
function problemOf(found: Findings): string | null {
  const { claims } = found
  if (found.refusal !== null) return refusalText(found.refusal, claims)
  if (found.used === true)
    return 'the token was already used: tokens are single-use; start the sign-in again'
  if (found.session?.alive === false)
    return 'the host session of this token has ended; sign in again'
  return null
}

function refusalText(refusal: TokenRefusal, claims: InspectedClaims | null): string {
  switch (refusal) {
    case 'ERR_TOKEN_MALFORMED':
      return 'the token is malformed (not a Share token, or cut short); copy it whole from the URL'
    case 'ERR_TOKEN_UNKNOWN_KEY':
      return 'the token was sealed with a key that is not in SHARE_SYNC_KEY; the host seals with its first key'
    case 'ERR_TOKEN_BAD_SEAL':
      return 'the token failed its integrity check: it was altered, or sealed by another key with the same id'
    case 'ERR_TOKEN_CLAIMS_INVALID':
      return 'the token opens but its claims are invalid (not minted by a Share host)'
    case 'ERR_TOKEN_EXPIRED':
      return `the token expired at ${iso(claims!.expiresAt)}: hand-off tokens live ${lifetime(claims!)} s; start the sign-in again`
    case 'ERR_TOKEN_NOT_YET_VALID':
      return `the token is issued in the future (${iso(claims!.issuedAt)}): the host's clock is ahead of this machine's`
    case 'ERR_TOKEN_AUDIENCE':
      return `the token was issued for ${printable(claims!.audience)}, not for the --audience given`
    case 'ERR_TOKEN_STATE':
      return 'the state does not match: the token belongs to another browser or hand-off'
  }
}

const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')}Z`
const lifetime = (claims: InspectedClaims) =>
  Math.round((claims.expiresAt - claims.issuedAt) / 1000)

function print(
  found: Findings,
  problem: string | null,
  keyIds: readonly string[],
  options: InspectOptions,
  io: Io,
): void {
  if (options.json) {
    const { claims } = found
    io.out(
      JSON.stringify({
        ...found,
        claims:
          claims === null
            ? null
            : {
                ...claims,
                issuedAt: new Date(claims.issuedAt).toISOString(),
                expiresAt: new Date(claims.expiresAt).toISOString(),
              },
        used: found.used ?? null,
        session: found.session ?? null,
        problem,
        ok: problem === null,
      }),
    )
    return
  }
  const lines: [string, string][] = [
    ['key', keyLine(found, keyIds)],
    ['seal', sealLine(found)],
  ]
  const { claims } = found
  if (claims !== null) {
    const left = Math.round((claims.expiresAt - Date.now()) / 1000)
    lines.push(
      ['issued', iso(claims.issuedAt)],
      [
        'expires',
        `${iso(claims.expiresAt)} (${left > 0 ? `${left} s left` : `expired ${-left} s ago`}; lifetime ${lifetime(claims)} s)`,
      ],
      [
        'audience',
        `${printable(claims.audience)} (${checkText(claims.audienceCheck, 'audience')})`,
      ],
      ['state', stateLine(claims)],
      ['used', usedLine(found)],
      ['session', sessionLine(found, claims)],
    )
  }
  lines.push(['log ref', `${found.ref} (the ref of this token's token.* audit log events)`])
  for (const [label, value] of lines) io.out(`${label.padEnd(9)}${value}`)
  io.out(problem === null ? 'verdict  opens' : `verdict  refused: ${problem}`)
}

function keyLine(found: Findings, keyIds: readonly string[]): string {
  if (found.keyId === null) return 'none (the token is malformed)'
  if (found.keyPosition === null) {
    return `key id ${found.keyId}, not in SHARE_SYNC_KEY (which holds ${keyIds.join(', ')})`
  }
  const role = found.keyPosition === 1 ? 'the sealing key' : 'an opening-only key'
  return `#${found.keyPosition} of SHARE_SYNC_KEY, key id ${found.keyId} (${role})`
}

function sealLine(found: Findings): string {
  if (found.claims !== null) return 'intact'
  if (found.refusal === 'ERR_TOKEN_BAD_SEAL') return 'broken'
  if (found.refusal === 'ERR_TOKEN_CLAIMS_INVALID') return 'intact, but the claims are invalid'
  return 'unknown'
}

function checkText(check: InspectedClaims['audienceCheck'], option: 'audience' | 'state'): string {
  if (check === 'match') return `matches --${option}`
  if (check === 'mismatch') return `does not match --${option}`
  return `not checked: pass --${option}`
}

function stateLine(claims: InspectedClaims): string {
  if (!claims.hasState)
    return claims.stateCheck === 'mismatch'
      ? 'none in the token (--state given)'
      : 'none in the token'
  return `present (${checkText(claims.stateCheck, 'state')})`
}

function usedLine(found: Findings): string {
  if (found.used === undefined) return 'unknown: pass --store URL to read the replay guard'
  return found.used ? 'yes: a remote already redeemed it' : 'no'
}

function sessionLine(found: Findings, claims: InspectedClaims): string {
  const ref = `ref ${claims.sessionRef}`
  if (found.session === undefined || found.session === null)
    return `${ref} (not checked: pass --store URL)`
  if (!found.session.alive) return `${ref} (ended or unknown in the store)`
  return `${ref} (alive, host session of user ${printable(found.session.userId)})`
}
