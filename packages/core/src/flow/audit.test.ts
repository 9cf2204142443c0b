import { describe, expect, it } from 'vitest'
import { createShareHost } from './host.js'
import { createShareRemote } from './remote.js'
import { APP_A, Browser, HOST, protocol, signInAt } from './test-harness.js'

// The audit log of a full flow (issue 13): every event is there, one object each, and no
// secret is: no session id, cookie value, token, state or key anywhere in it.

describe('audit log', () => {
  it('records sign-in, token issued and redeemed, a refused replay, revocation and logout', async () => {
    const p = await protocol()
    const entries: Record<string, unknown>[] = []
    const logger = {
      info: (entry: Readonly<Record<string, unknown>>) => void entries.push({ ...entry }),
    }
    const common = { syncKey: p.syncKey, store: p.store, now: p.clock.now, logger }
    const host = createShareHost({ ...common, appUrl: HOST, knownRemotes: [APP_A] })
    const remote = createShareRemote({ ...common, appUrl: APP_A, hostUrl: HOST })
    const apps = new Map<string, never>([
      [HOST, host as never],
      [APP_A, remote as never],
    ])
    const browser = new Browser(apps)
    const flow = { ...p, host, remoteA: remote } as typeof p
    const { callback } = await signInAt(flow, browser, remote)
    // A replay of the same callback in a fresh browser, with its own state cookie.
    const thief = new Browser(apps)
    thief.store(APP_A, await remote.loginRedirect(thief.request(`${APP_A}/`)))
    await thief.respond(callback)
    await new Promise((resolve) => setTimeout(resolve, 20)) // the refusal's keyed hash
    await browser.respond(`${APP_A}/share/logout`, {
      method: 'POST',
      headers: { origin: APP_A, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'everywhere=1',
    })

    const types = entries.map((entry) => entry.type)
    expect(types).toEqual(
      expect.arrayContaining([
        'session.created',
        'token.issued',
        'token.redeemed',
        'token.refused',
        'session.revoked',
      ]),
    )
    const issued = entries.find((entry) => entry.type === 'token.issued')!
    const redeemed = entries.find((entry) => entry.type === 'token.redeemed')!
    const refused = entries.find((entry) => entry.type === 'token.refused')!
    expect(issued).toMatchObject({ app: HOST, userId: 'alice', audience: APP_A })
    expect(redeemed).toMatchObject({ app: APP_A, userId: 'alice', ref: issued.ref })
    expect(refused).toMatchObject({ code: 'ERR_TOKEN_STATE', ref: issued.ref })
    expect(String(issued.ref)).toMatch(/^[A-Za-z0-9_-]{12}$/)
    expect(entries.find((entry) => entry.type === 'session.revoked')).toMatchObject({
      reason: 'revoke-all',
    })
    for (const entry of entries) expect(typeof entry.at).toBe('string') // ISO time

    const log = JSON.stringify(entries)
    const token = new URL(callback).searchParams.get('token')!
    const secrets = [
      token,
      p.syncKey,
      ...(await p.store.listUser('alice')).map((record) => record.id),
      ...[...browser.jars.values()]
        .flatMap((jar) => [...jar.values()])
        .filter((v) => v.length > 20),
    ]
    for (const secret of secrets) expect(log).not.toContain(secret)
  })

  it('development mode writes JSON lines to the console; a logger that throws breaks nothing', async () => {
    const p = await protocol()
    const lines: string[] = []
    const original = console.log
    console.log = (line: string) => void lines.push(line)
    try {
      const host = createShareHost({
        syncKey: p.syncKey,
        appUrl: HOST,
        knownRemotes: [APP_A],
        store: p.store,
        development: true,
      })
      await host.signIn(
        new Request(`${HOST}/login`, { method: 'POST', headers: { origin: HOST } }),
        {
          userId: 'alice',
        },
      )
    } finally {
      console.log = original
    }
    expect(JSON.parse(lines[0]!)).toMatchObject({
      type: 'session.created',
      app: HOST,
      userId: 'alice',
    })
    const broken = createShareHost({
      syncKey: p.syncKey,
      appUrl: HOST,
      knownRemotes: [APP_A],
      store: p.store,
      logger: {
        info: () => {
          throw new Error('log pipe closed')
        },
      },
    })
    const response = await broken.signIn(
      new Request(`${HOST}/login`, { method: 'POST', headers: { origin: HOST } }),
      { userId: 'bob' },
    )
    expect(response.status).toBe(303)
  })
})
