// @share/core's token primitives in one script. Run it with `npm run demo` from the repository root.
import { isShareError } from '@share/core'
import {
  createAllowList,
  createChecksum,
  createKeyring,
  encodeCallback,
  generateSyncKey,
  sealSessionId,
  unsealSessionId,
  verifyChecksum,
} from '@share/core/token'

const show = (label, value) => console.log(`${label.padEnd(28)} ${value}`)

// 1. One sync key, shared by the host and its remotes (keep it in SHARE_SYNC_KEY).
const syncKey = generateSyncKey()
const keyring = await createKeyring(syncKey)
show('new sync key', `${syncKey.slice(0, 14)}… (${syncKey.length} characters)`)
show('key id', keyring.keyIds[0])

// 2. The remote signs its callback and state so the host knows the request is genuine.
const callback = 'http://app-a.localhost:4001/share/callback'
const state = 'Zx81Qw0LmN3pR5tV7yB9dF'
const checksum = await createChecksum(keyring, `${encodeCallback(callback)}.${state}`)
show(
  'checksum verifies',
  await verifyChecksum(keyring, `${encodeCallback(callback)}.${state}`, checksum),
)

// 3. The host checks the callback against its allow-list of remotes.
const allowList = createAllowList(['http://app-a.localhost:4001', 'https://app-b.example.com'])
show('allowed callback', JSON.stringify(allowList.check(callback).ok))
show('foreign callback', JSON.stringify(allowList.check('https://evil.example/steal')))

// 4. The host seals its session reference for that remote; the remote opens it.
const sessionId = 'k7Qm2V9xYpL4nR8sT1uW3zA6bC0dE5fG7hJ9iK2lM4o'
const token = await sealSessionId(keyring, {
  sessionId,
  audience: 'http://app-a.localhost:4001',
  state,
})
show('token', `${token.slice(0, 40)}… (${token.length} characters)`)
const claims = await unsealSessionId(keyring, token, {
  audience: 'http://app-a.localhost:4001',
  state,
})
show(
  'opened claims',
  JSON.stringify({
    sessionId: claims.sessionId,
    expiresIn: `${(claims.expiresAt - claims.issuedAt) / 1000}s`,
  }),
)

// 5. Anything else is a ShareError with a stable code.
// One character changed (to another one: a random token may already hold an A there).
const tampered = `${token.slice(0, 60)}${token[60] === 'A' ? 'B' : 'A'}${token.slice(61)}`
const attempts = {
  'tampered token': () =>
    unsealSessionId(keyring, tampered, {
      audience: 'http://app-a.localhost:4001',
      state,
    }),
  'token for another app': () =>
    unsealSessionId(keyring, token, { audience: 'https://app-b.example.com', state }),
  'token without its state': () =>
    unsealSessionId(keyring, token, { audience: 'http://app-a.localhost:4001' }),
}
for (const [label, attempt] of Object.entries(attempts)) {
  try {
    await attempt()
    show(label, 'accepted (unexpected!)')
  } catch (error) {
    show(label, isShareError(error) ? `${error.code} (HTTP ${error.status})` : error)
  }
}
console.log('\nThe host and remote apps: npm run demo (see README.md).')
