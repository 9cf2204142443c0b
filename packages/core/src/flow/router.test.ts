import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createRoutes, type Route } from './router.js'

const step =
  (name: string): Route =>
  async () =>
    new Response(name)

describe('the route table', () => {
  const login = step('login')
  const callback = step('callback')
  const routes = createRoutes({ '/share/login': login, '/share/callback': callback })

  it('finds a step by the exact path, whatever the query or fragment', () => {
    expect(routes.find('http://app.localhost/share/login')).toBe(login)
    expect(routes.find('http://app.localhost:4001/share/login?return=%2F')).toBe(login)
    expect(routes.find('https://app.example/share/callback#x?y')).toBe(callback)
    expect(routes.find('https://app.example/share/callback?a#b')).toBe(callback)
  })

  it.each([
    ['another page', 'http://app.localhost/'],
    ['a path of the same length', 'http://app.localhost/share/logix'],
    ['a longer path', 'http://app.localhost/share/login/'],
    ['another case', 'http://app.localhost/SHARE/login'],
    ['a percent-encoded path', 'http://app.localhost/share/%6Cogin'],
    ['a query that names the path', 'http://app.localhost/x?/share/login'],
    ['no path at all', 'http://app.localhost'],
  ])('finds nothing for %s', (_name, url) => {
    expect(routes.find(url)).toBeUndefined()
  })

  it('finds every step of a table whose paths share no more than "/"', () => {
    const other = step('other')
    const mixed = createRoutes({
      '/share/login': login,
      '/share/logout': callback,
      '/other': other,
    })
    expect(mixed.find('http://app.localhost/share/login')).toBe(login)
    expect(mixed.find('http://app.localhost/share/logout?x=1')).toBe(callback)
    expect(mixed.find('http://app.localhost/other')).toBe(other)
    expect(mixed.find('http://app.localhost/share/')).toBeUndefined()
  })

  it('answers the root route for a URL without a path', () => {
    const root = step('root')
    expect(createRoutes({ '/': root }).find('http://app.localhost')).toBe(root)
  })
  it('finds nothing past the longest route, and finds the longest route itself', () => {
    const long = 'http://app.localhost/share/callback'
    expect(routes.find(long)).toBe(callback)
    expect(routes.find(`${long}x`)).toBeUndefined()
    expect(routes.find(`${long}${'x'.repeat(5000)}?a`)).toBeUndefined()
  })

  it('agrees with a plain reading of the URL for any URL (property)', () => {
    const table = { '/': step('root'), '/a': step('a'), '/share/login': login, '/a?b': step('x') }
    const mixed = createRoutes(table)
    const piece = fc.constantFrom('/', 'a', '?', '#', 'b', '/share/login', 'share', '//', '%2F')
    fc.assert(
      fc.property(
        fc.constantFrom('http://', 'https://', 'HTTP://', 'ws://', ''),
        fc.constantFrom('app.localhost', 'app.localhost:4001', 'a', ''),
        fc.array(piece, { maxLength: 8 }).map((parts) => parts.join('')),
        (scheme, host, rest) => {
          const url = `${scheme}${host}${rest}`
          // The reference: the path runs from the first `/` after `//` to the first `?` or `#`.
          const from = url.indexOf('/', url.indexOf('//') + 2)
          const path = from < 0 ? '/' : url.slice(from).split(/[?#]/)[0]!
          const expected = Object.hasOwn(table, path)
            ? table[path as keyof typeof table]
            : undefined
          expect(mixed.find(url), url).toBe(expected)
        },
      ),
      { numRuns: 2000 },
    )
  })
})
