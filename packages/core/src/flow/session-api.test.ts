import { describe, expect, it } from 'vitest'
import { APP_A, Browser, HOST, loginPost, protocol, signInAt } from './test-harness.js'

// The session API apps expect (issue 12): shared user updates, the SPA JSON endpoint, and a
// remote's sign-in hook.

describe('host.updateUser', () => {
  it('changes the user on every device, and remotes see it on their next request', async () => {
    const p = await protocol()
    const laptop = Browser.for(p)
    await signInAt(p, laptop, p.remoteA)
    await p.host.signIn(loginPost(), { userId: 'alice', user: { name: 'Alice' } })
    expect(await p.host.updateUser('alice', { name: 'Alicia', roles: ['admin'] })).toBe(2)
    const outcome = await laptop.send(`${APP_A}/page`)
    expect(outcome.type === 'continue' && outcome.session?.user).toEqual({
      name: 'Alicia',
      roles: ['admin'],
    })
    expect(await p.host.updateUser('nobody', { name: 'x' })).toBe(0)
  })

  it('refuses data that is not JSON or too large, changing nothing', async () => {
    const p = await protocol()
    await p.host.signIn(loginPost(), { userId: 'alice', user: { name: 'Alice' } })
    const big = { blob: 'x'.repeat(9000) }
    await expect(p.host.updateUser('alice', big)).rejects.toMatchObject({
      code: 'ERR_ARGUMENT_INVALID',
    })
    const [record] = await p.store.listUser('alice')
    expect(record?.user).toEqual({ name: 'Alice' })
  })
})

describe('GET <basePath>/session (single-page apps)', () => {
  it('answers null without a session, and the user without any secret with one', async () => {
    const p = await protocol()
    const browser = Browser.for(p)
    const anonymous = await browser.respond(`${APP_A}/share/session`)
    expect(anonymous.status).toBe(200)
    expect(await anonymous.json()).toEqual({ session: null })
    await signInAt(p, browser, p.remoteA)
    const response = await browser.respond(`${APP_A}/share/session`)
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    expect(response.headers.get('access-control-allow-origin')).toBeNull()
    const text = await response.text()
    const body = JSON.parse(text)
    expect(body.session).toMatchObject({ userId: 'alice', user: { name: 'Alice' } })
    expect(body.session.expiresAt).toBeGreaterThan(p.clock.now())
    const [host] = await p.store.listUser('alice')
    const cookies = [...browser.cookies(APP_A).values()].filter((value) => value.length > 20)
    for (const secret of [host!.id, host!.handle, ...cookies]) {
      expect(text).not.toContain(secret)
    }
    const atHost = await browser.respond(`${HOST}/share/session`)
    expect((await atHost.json()).session.userId).toBe('alice')
  })

  it('takes GET only', async () => {
    const p = await protocol()
    const response = await Browser.for(p).respond(`${APP_A}/share/session`, { method: 'POST' })
    expect(response.status).toBe(405)
  })
})

describe('onSignIn at a remote', () => {
  it('sees each arriving user once per hand-off, with the shared user data', async () => {
    const p = await protocol()
    const seen: unknown[] = []
    const remote = p.remote({
      onSignIn: async (session) => {
        seen.push([session.userId, session.user, session.session.audience])
      },
    })
    const browser = new Browser(
      new Map<string, never>([
        [HOST, p.host as never],
        [APP_A, remote as never],
      ]),
    )
    const { landed } = await signInAt(p, browser, remote)
    expect(landed.status).toBe(303)
    expect(seen).toEqual([['alice', { name: 'Alice' }, APP_A]])
  })

  it('when it throws, nobody is signed in: an error page, no cookie, no linked session', async () => {
    const p = await protocol()
    const remote = p.remote({
      onSignIn: () => {
        throw new Error('local user table is read-only')
      },
    })
    const browser = new Browser(
      new Map<string, never>([
        [HOST, p.host as never],
        [APP_A, remote as never],
      ]),
    )
    const { landed } = await signInAt(p, browser, remote)
    expect(landed.status).toBe(500)
    expect(landed.headers.get('location')).toBeNull()
    expect(await landed.text()).not.toContain('read-only') // the cause is not shown to the browser
    expect(landed.headers.getSetCookie().some((line) => line.startsWith('share_session=A'))).toBe(
      false,
    )
    const outcome = await browser.send(`${APP_A}/page`)
    expect(outcome.type === 'continue' && outcome.session).toBeNull()
  })
})
