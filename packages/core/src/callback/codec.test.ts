import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { encodeBase64url } from '../encoding/base64url.js'
import { isShareError, type ShareErrorCode } from '../errors.js'
import { decodeCallback, encodeCallback } from './codec.js'

function codeOf(run: () => unknown): ShareErrorCode {
  try {
    run()
  } catch (error) {
    if (isShareError(error)) return error.code
    throw error
  }
  throw new Error('expected a ShareError')
}

describe('callback codec', () => {
  it('round-trips a URL and a string the same way', () => {
    const url = 'https://app.example.com/share/callback?next=%2Fhome#top'
    expect(encodeCallback(url)).toBe(encodeCallback(new URL(url)))
    expect(decodeCallback(encodeCallback(url)).href).toBe(url)
  })

  it('round-trips any web URL to its WHATWG serialization', () => {
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), (url) => {
        const parsed = new URL(url)
        expect(decodeCallback(encodeCallback(parsed)).href).toBe(parsed.href)
      }),
      { numRuns: 500 },
    )
  })

  it.each([
    ['an empty value', '', 'ERR_CALLBACK_MALFORMED'],
    ['padding', `${encodeCallback('https://a.example.com/x')}==`, 'ERR_CALLBACK_MALFORMED'],
    ['standard base64', btoa('https://a.example.com/?>>>'), 'ERR_CALLBACK_MALFORMED'],
    ['non-canonical trailing bits', 'aHR0cHM6Ly9hLmV4YW1wbGUuY29tL3h', 'ERR_CALLBACK_MALFORMED'],
    [
      'invalid UTF-8',
      encodeBase64url(new Uint8Array([0x68, 0x74, 0xff, 0xfe])),
      'ERR_CALLBACK_MALFORMED',
    ],
    ['a value over the length bound', 'A'.repeat(4000), 'ERR_CALLBACK_TOO_LONG'],
    ['a relative URL', encodeCallback('/dashboard'), 'ERR_CALLBACK_INVALID'],
    ['a javascript: URL', encodeCallback('javascript:alert(1)'), 'ERR_CALLBACK_INVALID'],
    ['credentials', encodeCallback('https://u:p@app.example.com/'), 'ERR_CALLBACK_INVALID'],
    ['a backslash', encodeCallback('https:\\\\evil.com'), 'ERR_CALLBACK_INVALID'],
  ])('rejects %s', (_name, value, code) => {
    expect(codeOf(() => decodeCallback(value))).toBe(code)
  })

  it('refuses to encode a URL over 2048 bytes', () => {
    expect(codeOf(() => encodeCallback(`https://a.example.com/${'é'.repeat(1100)}`))).toBe(
      'ERR_CALLBACK_TOO_LONG',
    )
  })

  it('never throws anything but a ShareError on arbitrary input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.base64String(), fc.anything()), (value) => {
        try {
          decodeCallback(value as string)
        } catch (error) {
          expect(isShareError(error)).toBe(true)
        }
      }),
      { numRuns: 1000 },
    )
  })
})
