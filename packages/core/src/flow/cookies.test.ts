import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { clearCookie, cookieSettings, findCookie, readCookie, serializeCookie } from './cookies.js'

describe('reading cookies', () => {
  it.each([
    ['a=1; share_session=abc.def; b=2', 'abc.def'],
    ['share_session=abc', 'abc'],
    ['  share_session = abc ;x=y', 'abc'],
    ['x_share_session=no; share_session=yes', 'yes'],
    ['share_session=first; share_session=second', 'first'],
  ])('finds the value in %j', (header, expected) => {
    expect(readCookie(header, 'share_session')).toBe(expected)
  })

  it.each([
    ['missing', 'a=1; b=2'],
    ['empty', 'share_session='],
    ['not ours (quotes)', 'share_session="abc"'],
    ['not ours (space inside)', 'share_session=a b'],
    ['not ours (unicode)', 'share_session=ü'],
    ['too long', `share_session=${'a'.repeat(5000)}`],
    ['a huge header', `x=${'a'.repeat(20_000)}; share_session=abc`],
  ])('finds nothing when %s', (_name, header) => {
    expect(readCookie(header, 'share_session')).toBeUndefined()
  })

  it('never throws and only returns values of the allowed alphabet', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (header) => {
        const value = readCookie(header, 'share_session')
        if (value !== undefined) expect(value).toMatch(/^[A-Za-z0-9_.-]+$/)
      }),
      { numRuns: 1000 },
    )
  })
})

/** The reference: split on `;`, the first pair whose trimmed name matches, its trimmed value. */
function referenceFind(header: string, name: string): string | undefined {
  if (header.length === 0 || header.length > 16_384) return undefined
  const trim = (text: string) => text.replace(/^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g, '')
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=')
    if (eq > 0 && trim(pair.slice(0, eq)) === name) return trim(pair.slice(eq + 1))
  }
  return undefined
}

describe('finding the session cookie (findCookie: the engine checks the value)', () => {
  it('answers the trimmed value unchecked, which readCookie then refuses', () => {
    expect(findCookie('a=1;  share_session = a b ; c=3', 'share_session')).toBe('a b')
    expect(readCookie('a=1;  share_session = a b ; c=3', 'share_session')).toBeUndefined()
    expect(findCookie('share_session=', 'share_session')).toBe('')
    expect(findCookie('share_sessionx=1; xshare_session=2', 'share_session')).toBeUndefined()
    expect(
      findCookie(`x=${'a'.repeat(20_000)}; share_session=abc`, 'share_session'),
    ).toBeUndefined()
    expect(findCookie(null, 'share_session')).toBeUndefined()
  })

  it('agrees with a split-and-trim reference on any header', () => {
    // Headers built from the characters that matter: separators, spaces and the name's own.
    const piece = fc.constantFrom(
      'share_session',
      'share_sessio',
      'x',
      '=',
      ';',
      ' ',
      '\t',
      'abc.DEF-_9',
      'ü',
      '"',
    )
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 24 }).map((parts) => parts.join('')),
        (header) => {
          const expected = referenceFind(header, 'share_session')
          expect(findCookie(header, 'share_session')).toBe(expected)
          const checked = expected !== undefined && /^[\w.-]{1,4096}$/.test(expected)
          expect(readCookie(header, 'share_session')).toBe(checked ? expected : undefined)
        },
      ),
      { numRuns: 3000 },
    )
  })
})

describe('writing cookies', () => {
  it('is HttpOnly, SameSite=Lax, Path=/; Secure with a __Host- name on https', () => {
    expect(serializeCookie(cookieSettings('s', false), 'v')).toBe(
      's=v; Path=/; HttpOnly; SameSite=Lax',
    )
    expect(serializeCookie(cookieSettings('s', true), 'v', 60)).toBe(
      '__Host-s=v; Path=/; HttpOnly; SameSite=Lax; Secure; Max-Age=60',
    )
    expect(clearCookie(cookieSettings('s', true))).toBe(
      '__Host-s=; Path=/; HttpOnly; SameSite=Lax; Secure; Max-Age=0',
    )
  })
})

describe('cookie limits and spacing', () => {
  it('reads a Cookie header of up to 16384 characters, and ignores a longer one', () => {
    const header = (length: number) => {
      const pair = 'share_session=abc'
      return `pad=${'x'.repeat(length - pair.length - 6)}; ${pair}`
    }
    expect(header(16_384)).toHaveLength(16_384)
    expect(findCookie(header(16_384), 'share_session')).toBe('abc')
    expect(findCookie(header(16_385), 'share_session')).toBeUndefined()
  })

  it('trims what String.prototype.trim trims around names and values: tab, LF, VT, FF, CR, space', () => {
    for (const space of ['\t', '\n', '\u000b', '\u000c', '\r', ' ']) {
      const header = `a=1;${space}share_session${space}=${space}abc${space};b=2`
      expect(findCookie(header, 'share_session'), JSON.stringify(space)).toBe('abc')
    }
  })

  it('takes a value of up to 4096 characters as ours', () => {
    expect(readCookie(`n=${'a'.repeat(4096)}`, 'n')).toHaveLength(4096)
    expect(readCookie(`n=${'a'.repeat(4097)}`, 'n')).toBeUndefined()
  })
})
