import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { clearCookie, cookieSettings, readCookie, serializeCookie } from './cookies.js'

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
