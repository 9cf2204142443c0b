// Hostile pathnames against `protect` (fast-check): any string is handled without throwing,
// and any spelling of a protected path (percent-encoded once or twice, any case, doubled
// slashes, `.` and `x/..` segments, `;` parameters, a trailing slash) is still protected,
// through Next's own NextRequest.
import type { ShareRemote } from '@share/core'
import fc from 'fast-check'
import { NextRequest } from 'next/server'
import { describe, expect, it } from 'vitest'
import { createShareNext, routedPath } from '../src/index.js'

const anonymous = {
  origin: 'http://app-next.localhost:4301',
  paths: { login: '/share/login', callback: '/share/callback', logout: '/share/logout' },
  handle: async () => ({ type: 'continue', session: null, headers: [] }),
  loginRedirect: async () => new Response(null, { status: 302, headers: { location: '/x' } }),
  requireSession: async () => new Response(null, { status: 302, headers: { location: '/x' } }),
} as unknown as ShareRemote
const share = createShareNext(anonymous, { protect: ['/account'] })

const hex = (char: string) => `%${char.charCodeAt(0).toString(16).padStart(2, '0')}`

/** One character as typed: itself, another case, encoded once or twice. */
const spelledChar = (char: string) =>
  fc.constantFrom(
    char,
    char.toUpperCase(),
    hex(char),
    hex(char).toUpperCase(),
    `%25${hex(char).slice(1)}`,
  )

const spelledSegment = (segment: string) =>
  fc
    .tuple(
      ...[...segment].map(spelledChar),
      fc.option(fc.constantFrom(';x', ';jsessionid=1', '%3bx')),
    )
    .map((parts) => parts.map((part) => part ?? '').join(''))

/** `/account` plus up to two segments, spelled with every trick above between the segments. */
const spelledPath = fc
  .tuple(
    fc.array(fc.stringMatching(/^[a-z0-9]{1,6}$/), { maxLength: 2 }),
    fc.array(fc.constantFrom('/', '//', '/./', '/x/../', '/%2e/'), { minLength: 3, maxLength: 3 }),
    fc.boolean(),
  )
  .chain(([tail, separators, trailing]) =>
    fc
      .tuple(...['account', ...tail].map(spelledSegment))
      .map(
        (segments) =>
          segments.map((segment, i) => `${separators[i] ?? '/'}${segment}`).join('') +
          (trailing ? '/' : ''),
      ),
  )

describe('protect against hostile pathnames', () => {
  it('handles any string without throwing, into one clean absolute path', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 64 }), (input) => {
        const path = routedPath(input)
        expect(path.startsWith('/')).toBe(true)
        expect(path === '/' || !path.endsWith('/')).toBe(true)
        if (path !== '/') expect(path.split('/').slice(1)).not.toContain('')
        expect(path.split('/')).not.toContain('.')
        expect(path.split('/')).not.toContain('..')
      }),
      { numRuns: 500 },
    )
  })

  it('protects every spelling of /account, through NextRequest', async () => {
    await fc.assert(
      fc.asyncProperty(spelledPath, async (path) => {
        expect(routedPath(path).startsWith('/account')).toBe(true)
        const response = await share.middleware(
          new NextRequest(`http://app-next.localhost:4301${path}`),
        )
        expect(response.status).toBe(302)
      }),
      { numRuns: 300 },
    )
  })

  it('leaves unprotected paths alone, including look-alikes of /account', async () => {
    for (const path of ['/', '/accounts', '/acc', '/x/account', '/account-x', '/accoun%74s']) {
      const response = await share.middleware(
        new NextRequest(`http://app-next.localhost:4301${path}`),
      )
      expect(response.headers.get('x-middleware-next')).toBe('1')
    }
  })
})
