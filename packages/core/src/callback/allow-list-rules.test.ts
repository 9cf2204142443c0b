import { describe, expect, it } from 'vitest'
import { isShareError } from '../errors.js'
import { createAllowList } from './allow-list.js'

/**
 * The allow-list's entry rules, each checked by its own message (every
 * configuration error starts `allow-list:`, so matching that alone proves
 * nothing), and wildcard lists built inside the tests.
 */

function configError(entries: unknown, options = {}): string {
  try {
    createAllowList(entries as string[], options)
  } catch (error) {
    if (isShareError(error) && error.code === 'ERR_CONFIG_INVALID') return error.detail ?? ''
    throw error
  }
  throw new Error('createAllowList accepted a bad entry')
}

const wildcards = { allowSubdomainWildcards: true }

/** An https origin of exactly `length` characters, labels of at most 63. */
function originOf(length: number): string {
  let host = 'example'
  while (`https://${host}`.length < length) {
    const room = length - `https://${host}`.length - 1
    host = `${'b'.repeat(Math.min(63, Math.max(1, room)))}.${host}`
  }
  return `https://${host}`
}

describe('allow-list entry messages', () => {
  it.each([
    [[' * '], 'allow-list: "*" would allow every site; list each origin'],
    [
      ['//app.example.com'],
      'allow-list: "//app.example.com" has no scheme; write it as https://app.example.com (or http://app.example.com on a loopback host)',
    ],
    [
      ['app.example.com/a/b'],
      'allow-list: "app.example.com/a/b" has no scheme; write it as https://app.example.com/a/b (or http://app.example.com/a/b on a loopback host)',
    ],
    [
      ['1https://app.example.com'],
      'allow-list: "1https://app.example.com" has no scheme; write it as https://1https://app.example.com (or http://1https://app.example.com on a loopback host)',
    ],
    [
      ['https://exa mple.com'],
      'allow-list: "https://exa mple.com" is not a URL; write an origin such as https://app.example.com',
    ],
    [
      ['https://user@app.example.com'],
      'allow-list: "https://user@app.example.com" must not contain credentials',
    ],
    [
      ['https://:pw@app.example.com'],
      'allow-list: "https://:pw@app.example.com" must not contain credentials',
    ],
  ])('%j: %s', (entries, detail) => {
    expect(configError(entries)).toBe(detail)
  })

  it('takes an origin of 255 characters and refuses 256', () => {
    const longest = originOf(255)
    expect(longest).toHaveLength(255)
    expect(createAllowList([longest]).entries).toEqual([longest])
    const over = originOf(256)
    expect(over).toHaveLength(256)
    expect(configError([over])).toBe(`allow-list: "${over}" is longer than 255 characters`)
  })
})

describe('wildcard entries', () => {
  it('are refused without the option, naming it', () => {
    expect(configError(['https://*.example.com'])).toBe(
      'allow-list: "https://*.example.com" is a wildcard; pass { allowSubdomainWildcards: true } to accept every subdomain',
    )
  })

  it('with the option, list their pattern and accept subdomains only, on their scheme and port', () => {
    const list = createAllowList(
      ['https://*.example.com', 'http://*.localhost:4001', 'https://exact.example.org'],
      wildcards,
    )
    expect(list.entries).toEqual([
      'https://exact.example.org',
      'https://*.example.com',
      'http://*.localhost:4001',
    ])
    expect(list.check('https://a.example.com/cb').ok).toBe(true)
    expect(list.check('https://a.b.example.com/cb').ok).toBe(true)
    expect(list.check('http://app.localhost:4001/cb').ok).toBe(true)
    expect(list.check('https://example.com/cb').ok).toBe(false)
    expect(list.check('http://a.example.com/cb').ok).toBe(false)
    expect(list.check('https://a.example.com:8443/cb').ok).toBe(false)
    expect(list.check('http://app.localhost:4002/cb').ok).toBe(false)
    expect(list.check('https://.a.example.com/cb').ok).toBe(false)
    expect(list.check('https://a..example.com/cb').ok).toBe(false)
  })

  it('are strings: a list holding a wildcard is refused like any non-string entry', () => {
    expect(configError([['https://*.example.com']], wildcards)).toBe(
      'allow-list: every entry must be a non-empty origin string',
    )
  })

  it.each(['https://*.example.a1', 'https://*.example.1a', 'https://*.a.1.com'])(
    'accept %s (a name, not an address)',
    (entry) => {
      expect(createAllowList([entry], wildcards).entries).toEqual([entry])
    },
  )

  it.each([
    ['a top-level domain', 'https://*.com'],
    ['an IPv4 address', 'https://*.10.0.0.1'],
    ['an IPv4 address ending in two digits', 'https://*.10.0.0.10'],
    ['an IPv6 address', 'https://*.[::1]'],
  ])('refuse %s as too broad', (_name, entry) => {
    expect(configError([entry], wildcards)).toBe(
      `allow-list: "${entry}" is too broad; a wildcard needs a registrable domain below it`,
    )
  })
})
