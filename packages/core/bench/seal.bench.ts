// Seal + unseal of one hand-off token: @share/core beside raw Web Crypto
// AES-256-GCM on the same plaintext (the floor), jose (dir + A256GCM JWE)
// and iron-webcrypto, all in this one run. Measures the built package (@share/core's dist).

import { createKeyring, generateSyncKey, sealSessionId, unsealSessionId } from '@share/core/token'
import * as iron from 'iron-webcrypto'
import { CompactEncrypt, compactDecrypt } from 'jose'
import { it } from 'vitest'
import { runTable } from '../../../bench-table.ts'

it('seal + unseal beside raw AES-GCM, jose and iron-webcrypto', async () => {
  const audience = 'https://app.example.com'
  const claims = {
    sessionId: 'k7Qm2V9xYpL4nR8sT1uW3zA6bC0dE5fG7hJ9iK2lM4o',
    audience,
    state: 'Zx81Qw0LmN3pR5tV7yB9dF',
    ttl: 60,
  }
  const keyring = await createKeyring(generateSyncKey())

  // The floor: the same number of plaintext bytes our token carries, one encrypt and one decrypt.
  const plaintextBytes =
    6 + 2 + 16 + 3 + claims.sessionId.length + audience.length + claims.state.length
  const plaintext = crypto.getRandomValues(new Uint8Array(plaintextBytes))
  const rawKey = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, [
    'encrypt',
    'decrypt',
  ])
  const aad = new Uint8Array(7)

  async function rawFloor() {
    const iv = crypto.getRandomValues(new Uint8Array(12))
    const sealed = await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData: aad },
      rawKey,
      plaintext,
    )
    await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData: aad }, rawKey, sealed)
  }

  async function share() {
    const token = await sealSessionId(keyring, claims)
    await unsealSessionId(keyring, token, { audience, state: claims.state })
  }

  const joseKey = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, [
    'encrypt',
    'decrypt',
  ])
  const encoder = new TextEncoder()
  async function jose() {
    const payload = encoder.encode(
      JSON.stringify({
        sid: claims.sessionId,
        aud: audience,
        state: claims.state,
        jti: crypto.randomUUID(),
        iat: Date.now(),
        exp: Date.now() + 60_000,
      }),
    )
    const jwe = await new CompactEncrypt(payload)
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .encrypt(joseKey)
    await compactDecrypt(jwe, joseKey)
  }

  const ironPassword = generateSyncKey()
  async function ironWebcrypto() {
    const sealed = await iron.seal(
      { sid: claims.sessionId, aud: audience, state: claims.state },
      ironPassword,
      {
        ...iron.defaults,
        ttl: 60_000,
      },
    )
    await iron.unseal(sealed, ironPassword, iron.defaults)
  }

  const token = await sealSessionId(keyring, claims)
  console.log(`token length for a 43-character session id: ${token.length} characters`)

  await runTable(
    `seal + unseal, one hand-off token (Node ${process.version})`,
    [
      { name: 'raw Web Crypto AES-256-GCM (floor)', fn: rawFloor },
      { name: '@share/core sealSessionId + unsealSessionId', fn: share },
      { name: 'jose 6 CompactEncrypt dir/A256GCM + compactDecrypt', fn: jose },
      { name: 'iron-webcrypto 2 seal + unseal', fn: ironWebcrypto },
    ],
    { baseline: 'raw Web Crypto AES-256-GCM (floor)' },
  )
})
