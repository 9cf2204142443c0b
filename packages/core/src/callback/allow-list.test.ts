import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isShareError } from '../errors.js'
import { createAllowList } from './allow-list.js'

const allowList = createAllowList(['https://app.example.com', 'http://app-a.localhost:4001'])

function configErrorOf(entries: unknown, options = {}): string {
  try {
    createAllowList(entries as string[], options)
  } catch (error) {
    if (isShareError(error) && error.code === 'ERR_CONFIG_INVALID') return error.message
    throw error
  }
  throw new Error('createAllowList accepted a bad entry')
}

describe('allow-list entries', () => {
  it('normalizes accepted entries to origins', () => {
    const list = createAllowList([
      'https://App.Example.com/',
      'http://localhost:3000',
      'http://127.0.0.1:8080',
      'http://[::1]:3000',
      'http://app-a.localhost:4001',
    ])
    expect(list.entries).toEqual([
      'https://app.example.com',
      'http://localhost:3000',
      'http://127.0.0.1:8080',
      'http://[::1]:3000',
      'http://app-a.localhost:4001',
    ])
  })

  it.each([
    ['an empty list', [], /empty/],
    ['not a list', 'https://app.example.com', /empty/],
    ['*', ['*'], /every site/],
    ['an empty entry', [''], /non-empty/],
    ['a path', ['https://app.example.com/path'], /write it as https:\/\/app.example.com/],
    ['a query', ['https://app.example.com?x=1'], /not a bare origin/],
    ['a fragment', ['https://app.example.com#x'], /not a bare origin/],
    ['credentials', ['https://user:pw@app.example.com'], /credentials/],
    ['plain http to a public host', ['http://app.example.com'], /use https/],
    ['plain http to a private address', ['http://10.0.0.5'], /use https/],
    ['another scheme', ['ftp://app.example.com'], /https/],
    ['no scheme', ['app.example.com'], /has no scheme; write it as https:\/\/app.example.com/],
    [
      'a default port spelled out',
      ['https://app.example.com:443'],
      /write it as https:\/\/app.example.com/,
    ],
    ['a Unicode host', ['https://bücher.example'], /write it as https:\/\/xn--bcher-kva.example/],
    ['a trailing dot', ['https://app.example.com.'], /dot/],
    ['leading whitespace', [' https://app.example.com'], /not a bare origin/],
    ['a star host', ['https://*'], /"\*"/],
    ['a wildcard without opting in', ['https://*.example.com'], /allowSubdomainWildcards/],
    ['a number', [42], /non-empty origin/],
  ])('rejects %s at creation', (_name, entries, message) => {
    expect(configErrorOf(entries)).toMatch(message)
  })

  it.each([
    ['a wildcard on a top-level domain', 'https://*.com'],
    ['a wildcard on an IP address', 'https://*.0.0.1'],
    ['a wildcard with a path', 'https://*.example.com/x'],
    ['a wildcard over plain http', 'http://*.example.com'],
  ])('rejects %s even when wildcards are allowed', (_name, entry) => {
    expect(configErrorOf([entry], { allowSubdomainWildcards: true })).toMatch(/allow-list/)
  })
})

describe('callback decisions', () => {
  it.each([
    ['a path, query and fragment', 'https://app.example.com/share/cb?next=%2Fhome&x=1#top'],
    ['the bare origin', 'https://app.example.com'],
    ['a loopback remote', 'http://app-a.localhost:4001/cb'],
    ['an upper-case host (same origin)', 'https://APP.EXAMPLE.COM/cb'],
    ['the default port spelled out (same origin)', 'https://app.example.com:443/cb'],
    ['a URL object', new URL('https://app.example.com/cb')],
  ])('accepts %s', (_name, input) => {
    const result = allowList.check(input)
    expect(result.ok).toBe(true)
    if (result.ok)
      expect(result.url.origin).toMatch(
        /^(https:\/\/app\.example\.com|http:\/\/app-a\.localhost:4001)$/,
      )
  })

  // The open-redirect shapes from the threat model (docs/protocol.md).
  it.each([
    ['userinfo hiding the real host', 'https://app.example.com@evil.com/', 'ERR_CALLBACK_INVALID'],
    [
      'userinfo before an allowed host',
      'https://evil.com@app.example.com/',
      'ERR_CALLBACK_INVALID',
    ],
    ['user and password', 'https://app.example.com:x@evil.com', 'ERR_CALLBACK_INVALID'],
    ['a scheme-relative URL', '//app.example.com/cb', 'ERR_CALLBACK_INVALID'],
    ['a scheme-relative URL to another host', '//evil.com', 'ERR_CALLBACK_INVALID'],
    ['one slash after the scheme', 'https:/evil.com', 'ERR_CALLBACK_INVALID'],
    ['no slash after the scheme', 'https:evil.com', 'ERR_CALLBACK_INVALID'],
    ['three slashes', 'https:///evil.com', 'ERR_CALLBACK_INVALID'],
    ['backslashes for slashes', 'https:\\\\evil.com', 'ERR_CALLBACK_INVALID'],
    ['a backslash before @', 'https://app.example.com\\@evil.com', 'ERR_CALLBACK_INVALID'],
    ['a backslash in the host', 'https://evil.com\\.app.example.com', 'ERR_CALLBACK_INVALID'],
    ['a backslash in the path', 'https://app.example.com/\\evil.com', 'ERR_CALLBACK_INVALID'],
    ['an IDN homograph (Cyrillic a)', 'https://\u0430pp.example.com/', 'ERR_CALLBACK_INVALID'],
    ['the homograph in punycode', 'https://xn--pp-8cd.example.com/', 'ERR_CALLBACK_NOT_ALLOWED'],
    [
      'fullwidth letters the parser would fold',
      'https://\uff41pp.example.com/',
      'ERR_CALLBACK_INVALID',
    ],
    ['a trailing dot', 'https://app.example.com./cb', 'ERR_CALLBACK_NOT_ALLOWED'],
    [
      'the allowed host as a subdomain of another',
      'https://app.example.com.evil.com/',
      'ERR_CALLBACK_NOT_ALLOWED',
    ],
    [
      'the allowed origin in the path',
      'https://evil.com/https://app.example.com',
      'ERR_CALLBACK_NOT_ALLOWED',
    ],
    ['a suffix match', 'https://evilapp.example.com/', 'ERR_CALLBACK_NOT_ALLOWED'],
    [
      'a subdomain without the wildcard option',
      'https://x.app.example.com/',
      'ERR_CALLBACK_NOT_ALLOWED',
    ],
    ['another port', 'https://app.example.com:8443/', 'ERR_CALLBACK_NOT_ALLOWED'],
    ['a scheme downgrade', 'http://app.example.com/', 'ERR_CALLBACK_NOT_ALLOWED'],
    ['a scheme upgrade on loopback', 'https://app-a.localhost:4001/', 'ERR_CALLBACK_NOT_ALLOWED'],
    [
      'a loopback remote on another port',
      'http://app-a.localhost:4002/',
      'ERR_CALLBACK_NOT_ALLOWED',
    ],
    ['an encoded dot in the host', 'https://app%2eexample.com/', 'ERR_CALLBACK_INVALID'],
    ['an encoded letter in the host', 'https://%61pp.example.com/', 'ERR_CALLBACK_INVALID'],
    ['an encoded slash before @', 'https://app.example.com%2f@evil.com', 'ERR_CALLBACK_INVALID'],
    ['javascript:', 'javascript:alert(1)//https://app.example.com', 'ERR_CALLBACK_INVALID'],
    ['JavaScript: in mixed case', 'JaVaScRiPt:alert(1)', 'ERR_CALLBACK_INVALID'],
    ['data:', 'data:text/html,<script>alert(1)</script>', 'ERR_CALLBACK_INVALID'],
    ['blob:', 'blob:https://app.example.com/6f1c', 'ERR_CALLBACK_INVALID'],
    ['ftp:', 'ftp://app.example.com/', 'ERR_CALLBACK_INVALID'],
    ['a leading space', ' https://app.example.com/', 'ERR_CALLBACK_INVALID'],
    ['a tab inside the host', 'https://app.exa\tmple.com/', 'ERR_CALLBACK_INVALID'],
    ['a newline', 'https://app.example.com/\n', 'ERR_CALLBACK_INVALID'],
    ['a NUL', 'https://app.example.com\u0000.evil.com/', 'ERR_CALLBACK_INVALID'],
    ['an empty string', '', 'ERR_CALLBACK_INVALID'],
    ['a relative path', '/cb', 'ERR_CALLBACK_INVALID'],
    [
      'a URL longer than 2048 characters',
      `https://app.example.com/${'a'.repeat(2048)}`,
      'ERR_CALLBACK_TOO_LONG',
    ],
    [
      'a URL object with credentials',
      new URL('https://u@app.example.com/'),
      'ERR_CALLBACK_INVALID',
    ],
    ['a URL object for javascript:', new URL('javascript:alert(1)'), 'ERR_CALLBACK_INVALID'],
    ['a number', 42, 'ERR_CALLBACK_INVALID'],
  ])('rejects %s', (_name, input, code) => {
    const result = allowList.check(input as string)
    expect(result).toMatchObject({ ok: false, code })
    expect(Object.keys(result).sort()).toEqual(
      code === 'ERR_CALLBACK_NOT_ALLOWED' ? ['code', 'detail', 'ok'] : ['code', 'ok'],
    )
  })

  it('says, for the developer, which origin and scheme were refused and what is allowed', () => {
    const result = allowList.check('http://app.example.com:8443/cb')
    expect(result.ok === false && result.detail).toBe(
      `the callback origin "http://app.example.com:8443" (scheme http) is not in knownRemotes (SHARE_KNOWN_REMOTES): ${allowList.entries.join(', ')}`,
    )
  })

  it('only ever accepts URLs whose parsed origin is on the list (any input)', () => {
    const origins = new Set(allowList.entries)
    const near = fc.constantFrom(
      'https://app.example.com',
      'http://app-a.localhost:4001',
      'https://evil.com',
      '//',
      '@',
      '\\',
      '%2e',
      '.',
      ':443',
      ':4001',
      '/',
      '#',
      '?',
      'https:',
      'http:',
      '\t',
      '\u0430',
    )
    const mashed = fc.array(near, { maxLength: 6 }).map((parts) => parts.join(''))
    fc.assert(
      fc.property(fc.oneof(mashed, fc.webUrl(), fc.string()), (input) => {
        const result = allowList.check(input)
        if (result.ok) {
          expect(origins.has(result.url.origin)).toBe(true)
          expect(new URL(result.url.href).origin).toBe(result.url.origin)
        }
      }),
      { numRuns: 3000 },
    )
  }, 60_000) // 3,000 runs: about a second alone, far more while a whole CI run shares 2 cores

  it('accepts any path, query and fragment under an allowed origin', () => {
    const path = fc.webPath()
    const query = fc.option(fc.webQueryParameters(), { nil: undefined })
    const fragment = fc.option(fc.webFragments(), { nil: undefined })
    fc.assert(
      fc.property(path, query, fragment, (p, q, f) => {
        const url = `https://app.example.com${p}${q === undefined ? '' : `?${q}`}${f === undefined ? '' : `#${f}`}`
        const result = allowList.check(url)
        expect(result.ok).toBe(true)
      }),
      { numRuns: 500 },
    )
  })
})

describe('subdomain wildcards (opt-in)', () => {
  const wild = createAllowList(['https://*.example.com', 'http://*.localhost:4001'], {
    allowSubdomainWildcards: true,
  })

  it('lists the patterns', () => {
    expect(wild.entries).toEqual(['https://*.example.com', 'http://*.localhost:4001'])
  })

  it.each(['https://a.example.com/cb', 'https://a.b.example.com', 'http://app-a.localhost:4001/'])(
    'accepts %s',
    (url) => {
      expect(wild.check(url).ok).toBe(true)
    },
  )

  it.each([
    'https://example.com/',
    'https://evilexample.com/',
    'https://a.example.com.evil.com/',
    'https://a.example.com:444/',
    'http://a.example.com/',
    'https://a..example.com/',
    'https://.example.com/',
    'http://app-a.localhost:4002/',
  ])('rejects %s', (url) => {
    expect(wild.check(url).ok).toBe(false)
  })
})
