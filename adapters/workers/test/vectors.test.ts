// Core's known-answer vectors inside workerd: the fixed key and randomness through core's
// test seam give the same token bytes as on Node, and tokens cross between the runtimes.
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { createKeyring } from '../../../packages/core/src/keys/keyring.js'
import {
  sealSessionId,
  sealWithRandomSource,
  unsealSessionId,
} from '../../../packages/core/src/token/seal.js'
import vectors from '../../../packages/core/test/vectors/v1.json' with { type: 'json' }
import { CROSS_AUDIENCE, CROSS_KEY } from './cross-runtime.js'

const hex = (text: string) =>
  Uint8Array.from(text.match(/../g) ?? [], (byte) => Number.parseInt(byte, 16))

describe('known-answer vectors v1 in workerd', () => {
  it('runs inside workerd, not Node', () => {
    expect(navigator.userAgent).toBe('Cloudflare-Workers')
  })

  it.each(vectors.tokens.map((vector) => [vector.name, vector] as const))(
    'seals "%s" to the exact bytes and opens it',
    async (_name, vector) => {
      const keyring = await createKeyring(vector.key)
      const randomness = hex(vector.randomness)
      const token = await sealWithRandomSource(keyring, vector.input, { now: vector.now }, (n) =>
        randomness.slice(0, n),
      )
      expect(token).toBe(vector.token)
      const input = vector.input as typeof vector.input & { state?: string }
      const claims = await unsealSessionId(keyring, vector.token, {
        audience: input.audience,
        ...(input.state === undefined ? {} : { state: input.state }),
        now: vector.now,
      })
      expect(claims).toMatchObject({
        sessionId: input.sessionId,
        audience: input.audience,
        issuedAt: vector.now,
      })
    },
  )
})

describe('tokens across runtimes (workerd ↔ Node)', () => {
  const peer = (path: string, body: object) =>
    fetch(`${env.PEER_URL}${path}`, { method: 'POST', body: JSON.stringify(body) })

  it('opens on Node a token sealed in workerd', async () => {
    const keyring = await createKeyring(CROSS_KEY)
    const token = await sealSessionId(keyring, {
      sessionId: 'sealed-in-workerd',
      audience: CROSS_AUDIENCE,
      state: 'st1',
    })
    const opened = await peer('/open', { token, state: 'st1' })
    expect(opened.status).toBe(200)
    expect(await opened.json()).toMatchObject({
      sessionId: 'sealed-in-workerd',
      audience: CROSS_AUDIENCE,
    })
    // And Node refuses it for another state: the check is real.
    expect((await peer('/open', { token, state: 'other' })).status).toBe(400)
  })

  it('opens in workerd a token sealed on Node', async () => {
    const sealed = await peer('/seal', { sessionId: 'sealed-on-node', state: 'st2' })
    const { token } = (await sealed.json()) as { token: string }
    const keyring = await createKeyring(CROSS_KEY)
    const claims = await unsealSessionId(keyring, token, { audience: CROSS_AUDIENCE, state: 'st2' })
    expect(claims.sessionId).toBe('sealed-on-node')
    await expect(
      unsealSessionId(keyring, token, { audience: 'https://other.example', state: 'st2' }),
    ).rejects.toThrow()
  })
})
