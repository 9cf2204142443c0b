import { describe, expect, it } from 'vitest'
import { createChecksum, verifyChecksum } from '../src/checksum/checksum.js'
import { createKeyring } from '../src/keys/keyring.js'
import { sealWithRandomSource, unsealSessionId } from '../src/token/seal.js'
import {
  hexToBytes,
  referenceChecksum,
  referenceKeyId,
  referenceSeal,
} from './vectors/reference.js'
import vectors from './vectors/v1.json' with { type: 'json' }

describe('known-answer vectors, format v1', () => {
  it.each(Object.entries(vectors.keyIds))('derives key id %s → %s', async (key, keyId) => {
    expect((await createKeyring(key)).keyIds).toEqual([keyId])
    expect(await referenceKeyId(key)).toBe(keyId)
  })

  describe.each(vectors.tokens)('token: $name', (vector) => {
    const randomness = hexToBytes(vector.randomness)

    it('seals to the exact bytes, given the fixed IV and token id', async () => {
      const keyring = await createKeyring(vector.key)
      const token = await sealWithRandomSource(keyring, vector.input, { now: vector.now }, (n) =>
        randomness.slice(0, n),
      )
      expect(token).toBe(vector.token)
    })

    it('matches the independent implementation of docs/protocol.md', async () => {
      expect(
        await referenceSeal({ syncKey: vector.key, randomness, now: vector.now, ...vector.input }),
      ).toBe(vector.token)
    })

    it('opens to the sealed claims', async () => {
      const keyring = await createKeyring(vector.key)
      const { audience, state, sessionId, ttl } = vector.input as typeof vector.input & {
        state?: string
      }
      const claims = await unsealSessionId(keyring, vector.token, {
        audience,
        ...(state === undefined ? {} : { state }),
        now: vector.now,
      })
      expect(claims).toMatchObject({
        sessionId,
        audience,
        issuedAt: vector.now,
        expiresAt: vector.now + ttl * 1000,
      })
      expect(claims.state).toBe(state)
    })
  })

  describe.each(vectors.checksums)('checksum over "$data"', (vector) => {
    it('is reproduced by core and by the reference, and verifies', async () => {
      const keyring = await createKeyring(vector.key)
      expect(await createChecksum(keyring, vector.data)).toBe(vector.checksum)
      expect(await referenceChecksum(vector.key, vector.data)).toBe(vector.checksum)
      expect(await verifyChecksum(keyring, vector.data, vector.checksum)).toBe(true)
    })
  })
})
