import { HOSTILE } from '@share/store-testkit'
import { describe, expect, it } from 'vitest'
import { keyBase, keyPart } from '../src/keys.js'

/** What every encoded segment is made of: nothing a driver or a path could read as syntax. */
const SAFE_SEGMENT = /^[A-Za-z0-9_~-]{1,100}$/

describe('key parts', () => {
  it('keeps plain text (engine ids, simple user ids) as it is', async () => {
    expect(await keyPart('alice')).toBe('alice')
    expect(await keyPart('AbC-_09')).toBe('AbC-_09')
    expect(await keyPart('x'.repeat(100))).toBe('x'.repeat(100))
  })

  it('encodes anything else as ~base64url, and long text as ~h + SHA-256', async () => {
    expect(await keyPart('a:b')).toBe('~YTpi')
    expect(await keyPart('')).toBe('~')
    expect(await keyPart('..')).toBe('~Li4')
    expect(await keyPart('x'.repeat(101))).toMatch(/^~h[A-Za-z0-9_-]{43}$/)
    expect(await keyPart('ü'.repeat(60))).toMatch(/^~h[A-Za-z0-9_-]{43}$/)
  })

  it('gives one safe segment for every hostile text', async () => {
    for (const text of [...HOSTILE, '?x', '#', '$', 'x$', '\\', '~', '~h', 'a b', '\uD800']) {
      expect(await keyPart(text)).toMatch(SAFE_SEGMENT)
    }
  })

  it('is injective on texts that naive encodings confuse', async () => {
    const texts = [
      ...HOSTILE,
      'a_b',
      'a-b',
      'a.b',
      'a/b',
      'a:b',
      'a\\b',
      'A:B',
      'a%3Ab',
      '~YTpi',
      '~',
      '',
      ' ',
      // Lone surrogates: TextEncoder would turn both into U+FFFD.
      '\uD800',
      '\uD801',
      '\uDC00',
      '\uFFFD',
      'a\uD800',
      'a\uD801',
      // Around the length limit of the base64url form (74 and 75 bytes).
      '.'.repeat(74),
      '.'.repeat(75),
      '.'.repeat(76),
    ]
    const distinct = [...new Set(texts)]
    const parts = await Promise.all(distinct.map(keyPart))
    expect(new Set(parts).size).toBe(distinct.length)
  })

  it('never makes a ~base64url form that starts like a digest (~h)', async () => {
    // base64url "h..." would need a first byte 0x84-0x87: a UTF-8 continuation byte.
    for (let code = 0; code < 0x3000; code++) {
      const part = await keyPart(`${String.fromCharCode(code)}.`)
      expect(part.startsWith('~h')).toBe(false)
    }
  })

  it('refuses a non-string with ERR_ARGUMENT_INVALID', async () => {
    await expect(keyPart(42 as unknown as string)).rejects.toMatchObject({
      code: 'ERR_ARGUMENT_INVALID',
    })
  })
})

describe('prefixes', () => {
  it('keeps a plain prefix readable and adds the separator', async () => {
    expect(await keyBase('share:')).toBe('share:')
    expect(await keyBase('share')).toBe('share:')
    expect(await keyBase('app:prod:')).toBe('app:prod:')
    expect(await keyBase('')).toBe('')
  })

  it('encodes each hostile segment, so no prefix reaches outside its own keys', async () => {
    for (const prefix of ['../../etc:', 'a/b:', '*[x]:', 'a?b:', 'x$', 'ünï:', 'p'.repeat(300)]) {
      const base = await keyBase(prefix)
      expect(base).toMatch(/^([A-Za-z0-9_~-]{1,100}:)+$/)
    }
    expect(await keyBase('tAbCdEfGh:*[x]:')).toBe('tAbCdEfGh:~Klt4XQ:')
  })
})
