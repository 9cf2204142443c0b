import { describe, expect, it } from 'vitest'
import { decodeClaims, encodeClaims, type PlainClaims } from './format.js'

/** The claims layout's range checks, on plaintext built byte by byte. */

const ISSUED = Date.UTC(2026, 10, 23, 12, 0, 0)

function claims(overrides: Partial<PlainClaims> = {}): PlainClaims {
  return {
    issuedAt: ISSUED,
    ttlSec: 60,
    tokenId: new Uint8Array(16).fill(7),
    sessionId: 'sid',
    audience: 'https://app.example.com',
    state: undefined,
    ...overrides,
  }
}

/** Length-prefixed fields written by hand, so a test can break one of them. */
function raw(fields: readonly (readonly number[])[]): Uint8Array {
  const head = encodeClaims(claims()).subarray(0, 24)
  return new Uint8Array([...head, ...fields.flat()])
}

const ascii = (text: string) => [text.length, ...Array.from(text, (c) => c.charCodeAt(0))]

describe('decodeClaims', () => {
  it('opens the shortest layout (one-character id and audience, no state)', () => {
    const bytes = encodeClaims(claims({ sessionId: 'a', audience: 'b' }))
    expect(bytes).toHaveLength(29)
    expect(decodeClaims(bytes)).toMatchObject({ sessionId: 'a', audience: 'b' })
    expect(decodeClaims(bytes.subarray(0, 28))).toBeNull()
  })

  it('opens the longest layout (128, 255 and 128 characters) and nothing longer', () => {
    const longest = claims({
      sessionId: 's'.repeat(128),
      audience: 'a'.repeat(255),
      state: 't'.repeat(128),
    })
    const bytes = encodeClaims(longest)
    expect(bytes).toHaveLength(27 + 511)
    expect(decodeClaims(bytes)).toMatchObject({ state: 't'.repeat(128) })
    expect(decodeClaims(new Uint8Array([...bytes, 0x41]))).toBeNull()
  })

  it('refuses a field longer than its bound even when the whole fits', () => {
    expect(decodeClaims(raw([ascii('s'.repeat(129)), ascii('b'), ascii('')]))).toBeNull()
    expect(decodeClaims(raw([ascii('s'), ascii('b'), ascii('t'.repeat(129))]))).toBeNull()
    expect(decodeClaims(raw([ascii('s'.repeat(128)), ascii('b'), ascii('')]))).not.toBeNull()
  })

  it('refuses an empty session id or audience', () => {
    // Long enough for the length check: the emptiness check itself must refuse them.
    expect(decodeClaims(raw([ascii(''), ascii('bb'), ascii('')]))).toBeNull()
    expect(decodeClaims(raw([ascii('ss'), ascii(''), ascii('')]))).toBeNull()
    expect(decodeClaims(raw([ascii('s'), ascii('b'), ascii('')]))).not.toBeNull()
  })

  it('answers null, never throws, when the state length is out of range at the very end', () => {
    expect(decodeClaims(raw([ascii('s'), ascii('b'), [200]]))).toBeNull()
  })

  it('refuses ids outside base64url and bytes outside printable ASCII, keeping ! and ~', () => {
    expect(decodeClaims(raw([ascii('s.d'), ascii('b'), ascii('')]))).toBeNull()
    expect(decodeClaims(raw([ascii('s'), ascii('b'), ascii('t.u')]))).toBeNull()
    expect(decodeClaims(raw([ascii('s'), [1, 0x20], ascii('')]))).toBeNull()
    expect(decodeClaims(raw([ascii('s'), [1, 0x7f], ascii('')]))).toBeNull()
    expect(decodeClaims(raw([ascii('s'), ascii('!~'), ascii('')]))?.audience).toBe('!~')
  })

  it('refuses a lifetime of 0 or past 600 seconds, and reads the time back exactly', () => {
    expect(decodeClaims(encodeClaims(claims({ ttlSec: 0 })))).toBeNull()
    expect(decodeClaims(encodeClaims(claims({ ttlSec: 601 })))).toBeNull()
    expect(decodeClaims(encodeClaims(claims({ ttlSec: 600 })))).toMatchObject({
      issuedAt: ISSUED,
      expiresAt: ISSUED + 600_000,
    })
  })
})
