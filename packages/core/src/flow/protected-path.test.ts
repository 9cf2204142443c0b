import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createPathMatcher, routedPath, routedPaths } from './protected-path.js'
import { spelledPath } from './test-paths.js'

/** fast-check's generators here cost a few ms a run; a loaded CI machine is 5x slower. */
const PROPERTY_TIMEOUT_MS = 60_000

const word = fc.stringMatching(/^[a-z]{1,8}$/)

describe('routedPath', () => {
  it.each([
    ['/', '/'],
    ['', '/'],
    ['/a//b/', '/a/b'],
    ['/a/%2F/b', '/a/b'],
    ['/a/%zz', '/a/%zz'],
    ['/a/../../b', '/b'],
    ['/A;jsessionid=1/B', '/a/b'],
    ['/%252561', '/a'],
    // Three rounds of decoding at most: the fourth `%25` layer stays.
    ['/%25252561', '/%61'],
  ])('%s → %s', (input, output) => {
    expect(routedPath(input)).toBe(output)
  })

  it(
    'turns any string into one clean absolute path, without throwing',
    () => {
      fc.assert(
        fc.property(fc.string({ unit: 'binary', maxLength: 64 }), (input) => {
          const path = routedPath(input)
          expect(path.startsWith('/')).toBe(true)
          expect(path === '/' || !path.endsWith('/')).toBe(true)
          if (path !== '/') expect(path.split('/').slice(1)).not.toContain('')
          expect(path.split('/')).not.toContain('.')
          expect(path.split('/')).not.toContain('..')
          expect(routedPath(path)).toBe(path)
        }),
        { numRuns: 200 },
      )
    },
    PROPERTY_TIMEOUT_MS,
  )
})

describe('routedPaths', () => {
  it.each([
    ['/account', ['/account']],
    ['/account.json', ['/account.json', '/account']],
    [
      '/_next/data/b1/account.json',
      ['/_next/data/b1/account.json', '/account.json', '/_next/data/b1/account', '/account'],
    ],
    [
      '/app/_NEXT/data/b1/index.json',
      [
        '/app/_next/data/b1/index.json',
        '/index.json',
        '/app/_next/data/b1/index',
        '/app/_next/data/b1',
        '/index',
        '/',
      ],
    ],
    ['/account/index', ['/account/index', '/account']],
    ['/_next/data', ['/_next/data']],
  ])('%s → %j', (input, output) => {
    expect(routedPaths(input)).toEqual(output)
  })

  it(
    'starts with the routed path; every form is a clean absolute path',
    () => {
      fc.assert(
        fc.property(fc.string({ unit: 'binary', maxLength: 64 }), (input) => {
          const forms = routedPaths(input)
          expect(forms[0]).toBe(routedPath(input))
          for (const form of forms) expect(routedPath(form)).toBe(form)
        }),
        { numRuns: 150 },
      )
    },
    PROPERTY_TIMEOUT_MS,
  )
})

describe('createPathMatcher', () => {
  const account = createPathMatcher(['/Account/'])

  it.each([
    '/account',
    '/account/x',
    '//account',
    '/ACCOUNT',
    '/%61ccount',
    '/%2561ccount',
    '/./account',
    '/x/../account',
    '/account/',
    '/account;x',
    '/account%3bx/y',
    '/account.json',
    '/_next/data/b1/account.json',
    '/_next/data/b1/account/index.json',
    '/_next/data/b1/account/settings.json',
    '/app/_next/data/b1/account.json',
  ])('protects %s under /Account/', (path) => {
    expect(account([path])).toBe(true)
  })

  it.each([
    '/',
    '/accounts',
    '/acc',
    '/x/account',
    '/account-x',
    '/accoun%74s',
    '/accounts.json',
    '/_next/data/b1/accounts.json',
    '/_next/static/chunks/account.js',
    // A data route needs both `_next` and `data`, in that order.
    '/_next/static/b1/account',
    '/x/data/b1/account',
    '/_next/x/b1/account',
    '/data/_next/b1/account',
  ])('leaves %s alone', (path) => {
    expect(account([path])).toBe(false)
  })

  it('protects when any of the pathnames is protected (a base path and the routed one)', () => {
    expect(account(['/app/account', '/account'])).toBe(true)
    expect(account(['/account', '/app/account'])).toBe(true)
    expect(account(['/app/account'])).toBe(false)
  })

  it('protects a path under any one of several prefixes', () => {
    const matcher = createPathMatcher(['/account', '/admin'])
    expect(matcher(['/admin/users'])).toBe(true)
    expect(matcher(['/account'])).toBe(true)
    expect(matcher(['/about'])).toBe(false)
  })

  it('protects everything under /, nothing with no prefixes', () => {
    expect(createPathMatcher(['/'])(['/anything/at/all'])).toBe(true)
    expect(createPathMatcher([])(['/account'])).toBe(false)
    expect(createPathMatcher(undefined)(['/account'])).toBe(false)
  })

  it('asks a predicate about every form, and protects when it says yes to one', () => {
    const asked: string[] = []
    const matcher = createPathMatcher((path) => {
      asked.push(path)
      return path === '/account'
    })
    expect(matcher(['//A/%62;c/./d/'])).toBe(false)
    expect(asked).toEqual(['/a/b/d'])
    expect(matcher(['/_next/data/b1/account.json'])).toBe(true)
    // Any one of the pathnames (a base path and the routed one) is enough.
    expect(matcher(['/app/account', '/account'])).toBe(true)
    expect(matcher(['/account', '/app/account'])).toBe(true)
  })

  it(
    'protects every spelling of a protected path, plain or as a data route',
    () => {
      fc.assert(
        fc.property(
          word.chain((head) => fc.tuple(fc.constant(head), spelledPath(head), fc.boolean())),
          ([head, path, dataRoute]) => {
            const spelled = dataRoute ? `/_next/data/b1${path.replace(/\/$/, '')}.json` : path
            expect(createPathMatcher([`/${head}`])([spelled])).toBe(true)
          },
        ),
        { numRuns: 200 },
      )
    },
    PROPERTY_TIMEOUT_MS,
  )

  it(
    'never protects a sibling that only starts with the protected name',
    () => {
      fc.assert(
        fc.property(
          word.chain((head) => fc.tuple(fc.constant(head), spelledPath(`${head}z`), fc.boolean())),
          ([head, path, dataRoute]) => {
            const spelled = dataRoute ? `/_next/data/b1${path.replace(/\/$/, '')}.json` : path
            expect(createPathMatcher([`/${head}`])([spelled])).toBe(false)
          },
        ),
        { numRuns: 150 },
      )
    },
    PROPERTY_TIMEOUT_MS,
  )
})
