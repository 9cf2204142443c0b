import { describe, expect, it } from 'vitest'
import { createShareHost } from './host.js'
import { APP_A, HOST, loginPost, protocol } from './test-harness.js'

// The host's mountable devices page (issue 13): behind the host session, escaped, no script,
// forms to Share's Origin-checked endpoints, and the same data as JSON.

async function withPage() {
  const p = await protocol()
  const host = createShareHost({
    syncKey: p.syncKey,
    appUrl: HOST,
    knownRemotes: [APP_A],
    store: p.store,
    now: p.clock.now,
    sessionsPage: true,
  })
  const hostile = '<script>alert(1)</script>"onmouseover="x'
  const signIn = await host.signIn(loginPost(HOST, { 'user-agent': `Mozilla/5.0 ${hostile}` }), {
    userId: 'alice<b>',
  })
  await host.signIn(loginPost(HOST, { 'user-agent': 'Mozilla/5.0 (X11; Linux) Chrome/156.0' }), {
    userId: 'alice<b>',
  })
  const cookie = signIn.headers.getSetCookie()[0]!.split(';')[0]!
  const get = (headers: Record<string, string> = {}) =>
    host.handle(new Request(`${HOST}/sessions`, { headers: { cookie, ...headers } }))
  return { get, host, hostile }
}

describe('the sessions page (sessionsPage: true)', () => {
  it('lists the devices, this one marked, every value escaped, no script allowed', async () => {
    const { get, hostile } = await withPage()
    const outcome = await get()
    if (outcome.type !== 'respond') throw new Error('expected the page')
    const html = await outcome.response.text()
    expect(outcome.response.status).toBe(200)
    expect(outcome.response.headers.get('content-security-policy')).toMatch(/default-src 'none'/)
    expect(outcome.response.headers.get('cache-control')).toBe('no-store')
    expect(html).not.toContain(hostile)
    expect(html).not.toContain('<script>')
    expect(html).toContain('alice&#60;b&#62;')
    expect(html.match(/<tr data-handle=/g)).toHaveLength(2)
    expect(html).toContain('Chrome on Linux')
    expect(html).toContain('(this device)')
    for (const action of [
      '/share/sessions/revoke',
      '/share/sessions/revoke-others',
      '/share/sessions/revoke-all',
    ]) {
      expect(html).toContain(`action="${action}"`)
    }
    expect(html).toMatch(/<caption>/)
    expect(html).toMatch(/aria-label="Revoke /)
  })

  it('answers JSON to an API call, with handles and never a session id', async () => {
    const { get } = await withPage()
    const outcome = await get({ accept: 'application/json' })
    if (outcome.type !== 'respond') throw new Error('expected JSON')
    const body = await outcome.response.json()
    expect(body.userId).toBe('alice<b>')
    expect(body.sessions).toHaveLength(2)
    expect(Object.keys(body.sessions[0]).sort()).toEqual(
      [
        'client',
        'createdAt',
        'current',
        'expiresAt',
        'handle',
        'lastSeenAt',
        'rememberMe',
        'remotes',
      ].sort(),
    )
  })

  it('sends a browser without a session to the login page, and takes GET only', async () => {
    const { host } = await withPage()
    const anonymous = await host.handle(new Request(`${HOST}/sessions`))
    expect(anonymous.type === 'respond' && anonymous.response.headers.get('location')).toBe(
      '/login?next=%2Fsessions',
    )
    const post = await host.handle(new Request(`${HOST}/sessions`, { method: 'POST' }))
    expect(post.type === 'respond' && post.response.status).toBe(405)
  })

  it('is off by default: the app serves its own sessionsPath', async () => {
    const p = await protocol()
    const outcome = await p.host.handle(new Request(`${HOST}/sessions`))
    expect(outcome.type).toBe('continue')
  })
})
