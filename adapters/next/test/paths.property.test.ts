// Hostile pathnames against `protect` (fast-check), through Next's own NextRequest: any
// spelling of a protected path (percent-encoded once or twice, any case, doubled slashes,
// `.` and `x/..` segments, `;` parameters, a trailing slash) is still protected. Core's
// flow/protected-path.test.ts checks the matcher itself on any string.
import type { ShareRemote } from '@share/core'
import fc from 'fast-check'
import { NextRequest } from 'next/server'
import { describe, expect, it } from 'vitest'
import { spelledPath } from '../../../packages/core/src/flow/test-paths.ts'
import { createShareNext } from '../src/index.js'

const anonymous = {
  origin: 'http://app-next.localhost:4301',
  paths: { login: '/share/login', callback: '/share/callback', logout: '/share/logout' },
  handle: async () => ({ type: 'continue', session: null, headers: [] }),
  loginRedirect: async () => new Response(null, { status: 302, headers: { location: '/x' } }),
  requireSession: async () => new Response(null, { status: 302, headers: { location: '/x' } }),
} as unknown as ShareRemote
const share = createShareNext(anonymous, { protect: ['/account'] })

describe('protect against hostile pathnames', () => {
  it('protects every spelling of /account, through NextRequest', async () => {
    await fc.assert(
      fc.asyncProperty(spelledPath('account'), async (path) => {
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
