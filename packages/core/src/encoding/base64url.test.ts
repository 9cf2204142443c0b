import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodeBase64url, encodeBase64url, isBase64urlText } from './base64url.js'

const bytes = (text: string) => new TextEncoder().encode(text)

describe('base64url', () => {
  it('encodes the RFC 4648 test vectors without padding', () => {
    const cases: [string, string][] = [
      ['', ''],
      ['f', 'Zg'],
      ['fo', 'Zm8'],
      ['foo', 'Zm9v'],
      ['foob', 'Zm9vYg'],
      ['fooba', 'Zm9vYmE'],
      ['foobar', 'Zm9vYmFy'],
    ]
    for (const [plain, encoded] of cases) {
      expect(encodeBase64url(bytes(plain))).toBe(encoded)
      expect(decodeBase64url(encoded)).toEqual(bytes(plain))
    }
  })

  it('uses - and _ where standard base64 uses + and /', () => {
    expect(encodeBase64url(new Uint8Array([0xfb, 0xff, 0xbf]))).toBe('-_-_')
    expect(decodeBase64url('-_-_')).toEqual(new Uint8Array([0xfb, 0xff, 0xbf]))
  })

  it.each([
    ['padding', 'Zg=='],
    ['one padding character', 'Zm8='],
    ['standard alphabet +', 'a+b/'],
    ['whitespace', 'Zm9v YmFy'],
    ['a trailing newline', 'Zm9v\n'],
    ['length 4n+1', 'Zm9vY'],
    ['non-ASCII', 'Zm9vÿ'],
    ['a NUL', 'Zm\u00009v'],
    ['non-zero unused bits (2 chars)', 'Zh'],
    ['non-zero unused bits (3 chars)', 'Zm9'],
  ])('rejects %s', (_name, text) => {
    expect(decodeBase64url(text)).toBeNull()
  })

  it('round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (input) => {
        const text = encodeBase64url(input)
        expect(isBase64urlText(text)).toBe(true)
        expect(decodeBase64url(text)).toEqual(input)
      }),
    )
  })

  it('accepts only canonical spellings: whatever decodes re-encodes to the same text', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/ \n'
    const text = fc.string({ unit: fc.constantFrom(...alphabet), maxLength: 40 })
    fc.assert(
      fc.property(fc.oneof(text, fc.string({ maxLength: 40 })), (input) => {
        const decoded = decodeBase64url(input)
        if (decoded !== null) expect(encodeBase64url(decoded)).toBe(input)
      }),
      { numRuns: 2000 },
    )
  })
})
