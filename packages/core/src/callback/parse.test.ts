import { describe, expect, it } from 'vitest'
import { isShareError } from '../errors.js'
import { decodeCallback, encodeCallback } from './codec.js'
import { MAX_CALLBACK_LENGTH, parseCallbackUrl } from './parse.js'

/** The callback parser's bounds, one at a time. */

const base = 'https://app.example.com/'
const ofLength = (length: number) => base + 'a'.repeat(length - base.length)

function codeOf(run: () => unknown): string {
  try {
    run()
  } catch (error) {
    if (isShareError(error)) return error.code
    throw error
  }
  return 'ok'
}

describe('parseCallbackUrl', () => {
  it('takes a URL of exactly 2048 characters and refuses 2049', () => {
    expect(parseCallbackUrl(ofLength(MAX_CALLBACK_LENGTH))).toMatchObject({ ok: true })
    expect(parseCallbackUrl(ofLength(MAX_CALLBACK_LENGTH + 1))).toEqual({
      ok: false,
      code: 'ERR_CALLBACK_TOO_LONG',
    })
  })

  it('refuses a URL that grows past 2048 characters when serialized', () => {
    // Each `"` in a path becomes %22: 1000 of them triple in the serialization.
    const raw = `${base}${'"'.repeat(1000)}`
    expect(raw.length).toBeLessThan(MAX_CALLBACK_LENGTH)
    expect(new URL(raw).href.length).toBeGreaterThan(MAX_CALLBACK_LENGTH)
    expect(parseCallbackUrl(raw)).toEqual({ ok: false, code: 'ERR_CALLBACK_TOO_LONG' })
    const fits = `${base}${'"'.repeat(600)}`
    expect(parseCallbackUrl(fits)).toMatchObject({ ok: true })
  })

  it('measures the raw text too: a long URL the parser would shorten is refused', () => {
    const raw = `${base}${'./'.repeat(1100)}x`
    expect(new URL(raw).href.length).toBeLessThan(MAX_CALLBACK_LENGTH)
    expect(parseCallbackUrl(raw)).toEqual({ ok: false, code: 'ERR_CALLBACK_TOO_LONG' })
  })

  it('refuses an object that only looks like a URL string, without throwing', () => {
    const imitation = { toString: () => 'https://app.example.com/cb', length: 26 }
    expect(parseCallbackUrl(imitation)).toEqual({ ok: false, code: 'ERR_CALLBACK_INVALID' })
  })

  it.each([
    ['a number', 42],
    ['no authority', 'https:///path'],
    ['an empty authority before a query', 'https://?x=1'],
    ['a user name alone', 'https://user@app.example.com/'],
    ['a password alone', 'https://:pw@app.example.com/'],
    ['a percent-encoded host', 'https://app%2eexample.com/'],
    ['a host the parser refuses', 'https://[::1/'],
  ])('refuses %s as invalid', (_name, raw) => {
    expect(parseCallbackUrl(raw)).toEqual({ ok: false, code: 'ERR_CALLBACK_INVALID' })
  })
})

describe('the callback codec bounds', () => {
  it('encodes and decodes a callback of exactly 2048 bytes, and refuses 2049', () => {
    const url = ofLength(MAX_CALLBACK_LENGTH)
    expect(decodeCallback(encodeCallback(url)).href).toBe(url)
    expect(codeOf(() => encodeCallback(ofLength(MAX_CALLBACK_LENGTH + 1)))).toBe(
      'ERR_CALLBACK_TOO_LONG',
    )
  })

  it('refuses an encoded value one character past the bound as too long, before decoding', () => {
    const longest = encodeCallback(ofLength(MAX_CALLBACK_LENGTH))
    expect(codeOf(() => decodeCallback(`${longest}A`))).toBe('ERR_CALLBACK_TOO_LONG')
    // 2733 characters is no whole number of bytes: only the length check says too long.
    expect(codeOf(() => decodeCallback('A'.repeat(2733)))).toBe('ERR_CALLBACK_TOO_LONG')
    expect(codeOf(() => decodeCallback(`${longest.slice(0, -1)}`))).not.toBe(
      'ERR_CALLBACK_TOO_LONG',
    )
  })

  it('refuses to encode something that is neither a string nor a URL', () => {
    let error: unknown
    try {
      encodeCallback(42 as unknown as string)
    } catch (e) {
      error = e
    }
    expect(isShareError(error) && error.code).toBe('ERR_ARGUMENT_INVALID')
    expect(isShareError(error) && error.detail).toBe('encodeCallback needs a string or URL')
  })

  it('says malformed, not a TypeError, for base64url that is not a whole byte string', () => {
    expect(codeOf(() => decodeCallback('A'))).toBe('ERR_CALLBACK_MALFORMED')
  })
})
