import { describe, expect, it } from 'vitest'
import { encodeCallback } from '../callback/codec.js'
import { createChecksum } from '../checksum/checksum.js'
import { isShareError } from '../errors.js'
import { createKeyring } from '../keys/keyring.js'
import { generateSyncKey } from '../keys/sync-key.js'
import { createMemoryStore } from '../memory/memory-store.js'
import { createTestClock } from '../session/test-helpers.js'
import { sealSessionId } from '../token/seal.js'
import { authorizeChecksumData } from './authorize.js'
import { createShareHost } from './host.js'
import { createShareRemote } from './remote.js'
import { APP_A, APP_B, Browser, HOST, signInAt } from './test-harness.js'

// Per-remote keys (issue 13): a remote can only open tokens for itself, and cannot sign a
// hand-off request or mint a token another remote accepts. The single-key setup is the rest of
// the suite, unchanged.

function setup() {
  const clock = createTestClock()
  const store = createMemoryStore({ now: clock.now })
  const keys = { host: generateSyncKey(), a: generateSyncKey(), b: generateSyncKey() }
  const host = createShareHost({
    syncKey: keys.host,
    appUrl: HOST,
    knownRemotes: [
      { origin: APP_A, syncKey: keys.a },
      { origin: APP_B, syncKey: keys.b },
    ],
    store,
    now: clock.now,
  })
  const remote = (appUrl: string, syncKey: string) =>
    createShareRemote({ syncKey, appUrl, hostUrl: HOST, store, now: clock.now })
  const remoteA = remote(APP_A, keys.a)
  const remoteB = remote(APP_B, keys.b)
  const p = { host, remoteA, remoteB, store, clock, syncKey: keys.host }
  return { p, keys }
}

describe('per-remote keys', () => {
  it('each remote signs in through the host with its own key', async () => {
    const { p } = setup()
    const browser = Browser.for(p as never)
    const a = await signInAt(p as never, browser, p.remoteA)
    const b = await signInAt(p as never, browser, p.remoteB)
    expect([a.landed.status, b.landed.status]).toEqual([303, 303])
    const outcome = await browser.send(`${APP_B}/page`)
    expect(outcome.type === 'continue' && outcome.session?.userId).toBe('alice')
  })

  it("remote A's key cannot sign a hand-off request for B", async () => {
    const { p, keys } = setup()
    const callback = encodeCallback(`${APP_B}/share/callback`)
    const state = 'Zx81Qw0LmN3pR5tV7yB9dF'
    const t = Math.floor(p.clock.now() / 1000)
    const forged = await createChecksum(
      await createKeyring(keys.a),
      authorizeChecksumData(callback, state, t),
    )
    const outcome = await p.host.handle(
      new Request(
        `${HOST}/share/authorize?callback=${callback}&state=${state}&t=${t}&checksum=${forged}`,
      ),
    )
    expect(outcome.type === 'respond' && outcome.response.status).toBe(400)
    if (outcome.type === 'respond')
      expect(await outcome.response.text()).toContain('ERR_CHECKSUM_INVALID')
  })

  it("a token remote A could mint is refused by B: B's keyring does not know A's key", async () => {
    const { p, keys } = setup()
    const browser = Browser.for(p as never)
    await signInAt(p as never, browser, p.remoteA)
    const [hostSession] = await p.store.listUser('alice')
    // A holds only its own key: the best it can do is seal with it, for B's origin.
    const start = await browser.respond(`${APP_B}/share/login`)
    const state = new URL(start.headers.get('location')!).searchParams.get('state')!
    const minted = await sealSessionId(
      await createKeyring(keys.a),
      { sessionId: hostSession!.id, audience: APP_B, state },
      { now: p.clock.now() },
    )
    const refused = await browser.respond(`${APP_B}/share/callback?token=${minted}`)
    expect(refused.status).toBe(403)
    expect(await refused.text()).toContain('ERR_TOKEN_UNKNOWN_KEY')
  })

  it('refuses a malformed per-remote key at start-up, naming the remote, never the key', () => {
    let error: unknown
    try {
      createShareHost({
        syncKey: generateSyncKey(),
        appUrl: HOST,
        knownRemotes: [{ origin: APP_A, syncKey: 'share_sk1_short' }],
        store: createMemoryStore(),
      })
    } catch (caught) {
      error = caught
    }
    expect(isShareError(error) && error.code).toBe('ERR_KEY_INVALID')
    expect((error as Error).message).toContain(`knownRemotes ${APP_A}`)
    expect((error as Error).message).not.toContain('share_sk1_short')
  })
})
