import { describe, expect, it } from 'vitest'
import { decodeClaims, encodeClaims, type PlainClaims } from './format.js'

const base: PlainClaims = {
  issuedAt: 1_795_435_200_000,
  ttlSec: 60,
  tokenId: new Uint8Array(16).fill(7),
  sessionId: 'sid_-AZaz09',
  audience: 'https://app.example.com',
  state: 'st',
}

/** The claims bytes with one byte replaced. */
function withByte(index: number, value: number): Uint8Array {
  const bytes = encodeClaims(base)
  bytes[index] = value
  return bytes
}

describe('claims layout', () => {
  it('round-trips, with times in epoch milliseconds', () => {
    expect(decodeClaims(encodeClaims(base))).toEqual({
      sessionId: base.sessionId,
      audience: base.audience,
      state: 'st',
      tokenId: 'BwcHBwcHBwcHBwcHBwcHBw',
      issuedAt: base.issuedAt,
      expiresAt: base.issuedAt + 60_000,
    })
  })

  it('keeps 48-bit times exact', () => {
    const issuedAt = 2 ** 48 - 1
    expect(decodeClaims(encodeClaims({ ...base, issuedAt }))?.issuedAt).toBe(issuedAt)
  })

  const sessionLengthAt = 24
  const audienceLengthAt = sessionLengthAt + 1 + base.sessionId.length
  const stateAt = audienceLengthAt + 1 + base.audience.length + 1
  it.each([
    ['a ttl of 0', withByte(6, 0), 7, 0],
    ['a ttl over 600 seconds', withByte(6, 3), 7, 0],
    ['an empty session id', withByte(sessionLengthAt, 0)],
    ['a session id longer than the bytes', withByte(sessionLengthAt, 200)],
    ['a control character in the audience', withByte(audienceLengthAt + 3, 0x0a)],
    ['a non-ASCII byte in the audience', withByte(audienceLengthAt + 3, 0xc3)],
    ['a state outside the id alphabet', withByte(stateAt, 0x2e)],
  ])('rejects %s', (_name, bytes, index?: number, value?: number) => {
    if (index !== undefined && value !== undefined) bytes[index] = value
    expect(decodeClaims(bytes)).toBeNull()
  })

  it('rejects trailing bytes and truncations', () => {
    const bytes = encodeClaims(base)
    expect(decodeClaims(new Uint8Array([...bytes, 0]))).toBeNull()
    for (let length = 0; length < bytes.length; length++) {
      expect(decodeClaims(bytes.subarray(0, length))).toBeNull()
    }
  })

  it('builds plain objects: no prototype-polluting keys can appear', () => {
    const claims = decodeClaims(encodeClaims(base))!
    expect(Object.getPrototypeOf(claims)).toBe(Object.prototype)
    expect(Object.keys(claims).sort()).toEqual(
      ['audience', 'expiresAt', 'issuedAt', 'sessionId', 'state', 'tokenId'].sort(),
    )
  })
})
