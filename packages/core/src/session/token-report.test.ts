import { describe, expect, it } from 'vitest'
import { createKeyring } from '../keys/keyring.js'
import { consumeTokenId } from '../token/replay.js'
import { sealSessionId } from '../token/seal.js'
import { harness } from './test-helpers.js'

const APP_A = 'https://app-a.example.com'

/** A live host session and a token for it, sealed with the harness's key at the harness's time. */
async function handOff() {
  const h = await harness()
  const { session } = await h.engine.create({ userId: 'alice' })
  const keyring = await createKeyring(h.syncKey)
  const token = await sealSessionId(
    keyring,
    { sessionId: session.id, audience: APP_A },
    { now: h.clock.now() },
  )
  return { h, session, token }
}

describe('engine.inspectToken', () => {
  it('reads the replay guard and the host session without changing either', async () => {
    const { h, session, token } = await handOff()
    const writes = h.calls.writes
    const before = await h.engine.inspectToken(token)
    expect([before.refusal, before.used, before.session]).toEqual([
      null,
      false,
      { alive: true, userId: 'alice' },
    ])
    // Inspecting twice changes nothing: the guard is read, never set.
    expect((await h.engine.inspectToken(token)).used).toBe(false)
    expect(h.calls.writes).toBe(writes)
    const tokenId = await tokenIdOf(h.syncKey, token)
    expect(await consumeTokenId(h.ctx, tokenId, 60)).toBe(true)
    expect((await h.engine.inspectToken(token)).used).toBe(true)
    await h.engine.revokeAll('alice')
    expect((await h.engine.inspectToken(token)).session).toEqual({ alive: false, userId: null })
    expect(JSON.stringify(await h.engine.inspectToken(token))).not.toContain(session.id)
  })

  it("uses the engine's clock by default, and asks the store nothing for a token that does not open", async () => {
    const { h, token } = await handOff()
    h.clock.advance(60_000)
    expect((await h.engine.inspectToken(token)).refusal).toBe('ERR_TOKEN_EXPIRED')
    const reads = h.calls.reads
    // Its last two characters changed (a final A keeps the trailing bits canonical; the one before
    // it is another character than the token's own).
    const tampered = `${token.slice(0, -2)}${token.at(-2) === 'A' && token.at(-1) === 'A' ? 'B' : 'A'}A`
    expect(tampered).not.toBe(token)
    const found = await h.engine.inspectToken(tampered)
    expect([found.refusal, found.used, found.session]).toEqual(['ERR_TOKEN_BAD_SEAL', null, null])
    expect(h.calls.reads).toBe(reads)
  })
})

async function tokenIdOf(syncKey: string, token: string): Promise<string> {
  const { unsealSessionId } = await import('../token/seal.js')
  const claims = await unsealSessionId(await createKeyring(syncKey), token, {
    audience: APP_A,
    leeway: 30,
    now: Date.UTC(2030, 0, 1),
  })
  return claims.tokenId
}
