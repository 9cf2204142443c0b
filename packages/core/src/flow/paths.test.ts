import { describe, expect, it } from 'vitest'
import { pathAndQuery, safeLocalPath } from './paths.js'

/** Where a browser is sent back to: the path and query it asked for, and only local paths. */

describe('pathAndQuery', () => {
  it.each([
    ['http://app.localhost:4001/a/b?x=1&y=2', '/a/b?x=1&y=2'],
    ['http://app.localhost:4001/a/b', '/a/b'],
    ['http://app.localhost:4001/a#frag', '/a'],
    ['http://app.localhost:4001/a?x=1#frag', '/a?x=1'],
    ['http://app.localhost:4001/a#frag?x=1', '/a'],
    ['http://app.localhost:4001/?x', '/?x'],
    ['http://app.localhost:4001', '/'],
  ])('of %s is %s', (url, expected) => {
    expect(pathAndQuery(url)).toBe(expected)
  })
})

describe('safeLocalPath', () => {
  it('keeps a local path of up to 2048 characters, and refuses a longer one', () => {
    const longest = `/${'a'.repeat(2047)}`
    expect(safeLocalPath(longest)).toBe(longest)
    expect(safeLocalPath(`${longest}a`)).toBe('/')
  })

  it.each([
    ['a line break (header splitting)', '/a\r\nSet-Cookie: x=1'],
    ['a NUL', '/a\u0000b'],
    ['DEL', '/a\u007f'],
    ['a backslash', '/a\\b'],
    ['a protocol-relative URL', '//evil.example/'],
    ['an absolute URL', 'https://evil.example/'],
    ['nothing', ''],
  ])('refuses %s', (_name, value) => {
    expect(safeLocalPath(value, '/home')).toBe('/home')
  })

  it('percent-encodes characters outside printable ASCII, and refuses what grows past three times the limit', () => {
    expect(safeLocalPath('/caf\u00e9 au lait')).toBe('/caf%C3%A9%20au%20lait')
    const many = `/${'\u00e9'.repeat(200)}`
    expect(safeLocalPath(many)).toBe(`/${'%C3%A9'.repeat(200)}`)
    // Exactly 6144 characters once encoded: kept; one more character is refused.
    const exact = `/aaaaa${'\u00e9'.repeat(1023)}`
    expect(safeLocalPath(exact)).toHaveLength(6144)
    expect(safeLocalPath(`${exact}a`)).toBe('/')
  })
})
