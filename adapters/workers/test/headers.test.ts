// Core's headers on the app's response inside workerd: added in place, a copy only for a
// response whose headers cannot change, and never over a header the app set itself.
import { REMOTE_ORIGIN, signedInRemote } from '@share/test-utils'
import { beforeAll, describe, expect, it } from 'vitest'
import { withShare } from '../src/index.js'
import { asFetch } from './apps.js'

describe('headers on the app response (workerd)', () => {
  let fetchPage: (path: string, cookie?: string) => Promise<Response>
  let cookie: string

  beforeAll(async () => {
    const signedIn = await signedInRemote()
    const { remote } = signedIn
    cookie = signedIn.cookie
    const worker = withShare(
      async (request) => {
        const { pathname } = new URL(request.url)
        // Response.redirect() answers with immutable headers, as fetch() does.
        if (pathname === '/moved') return Response.redirect(`${REMOTE_ORIGIN}/`, 302)
        if (pathname === '/cached') {
          return new Response('mine', { headers: { 'Cache-Control': 'private, max-age=5' } })
        }
        return new Response('page')
      },
      () => remote,
    )
    const run = asFetch(worker, {})
    fetchPage = (path, withCookie) =>
      run(
        new Request(
          `${REMOTE_ORIGIN}${path}`,
          withCookie ? { headers: { cookie: withCookie } } : {},
        ),
      )
  })

  it('marks a signed-in page no-store', async () => {
    const response = await fetchPage('/', cookie)
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(await response.text()).toBe('page')
  })

  it('copies a response with immutable headers, and keeps its status and location', async () => {
    const response = await fetchPage('/moved', cookie)
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe(`${REMOTE_ORIGIN}/`)
    expect(response.headers.get('cache-control')).toBe('no-store')
  })

  it("keeps the app's own Cache-Control", async () => {
    const response = await fetchPage('/cached', cookie)
    expect(response.headers.get('cache-control')).toBe('private, max-age=5')
  })

  it('clears a cookie that names no session, beside an immutable response too', async () => {
    for (const path of ['/', '/moved']) {
      const response = await fetchPage(path, 'share_session=nothing-of-ours')
      expect(response.headers.getSetCookie().some((c) => c.startsWith('share_session=;'))).toBe(
        true,
      )
      expect(response.headers.get('cache-control')).toBeNull()
    }
  })
})
