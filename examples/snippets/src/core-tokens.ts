// The protocol's primitives, one step after another, as host and remote use them.
import {
  createAllowList,
  createChecksum,
  createKeyring,
  decodeCallback,
  encodeCallback,
  generateSyncKey,
  sealSessionId,
  unsealSessionId,
  verifyChecksum,
} from '@share/core/token'

// Every app: the same key (make one with generateSyncKey() and keep it in SHARE_SYNC_KEY).
const keyring = await createKeyring(process.env.SHARE_SYNC_KEY ?? generateSyncKey()) // bad key: throws
const allowList = createAllowList(['https://app-a.example.com']) // bad entry: throws

// Remote: sign the callback and a per-hand-off state (also kept in an HttpOnly cookie).
const state = 'Zx81Qw0LmN3pR5tV7yB9dF'
const callback = encodeCallback('https://app-a.example.com/share/callback')
const checksum = await createChecksum(keyring, `${callback}.${state}`)

// Host: check the request, then seal its session reference for that remote.
if (!(await verifyChecksum(keyring, `${callback}.${state}`, checksum)))
  throw new Error('answer 400')
const target = allowList.check(decodeCallback(callback)) // decodeCallback throws a ShareError (400)
if (!target.ok) throw new Error(`answer 400: ${target.code}`) // never a redirect
const sessionId = 'k7Qm2V9xYpL4nR8sT1uW3zA6bC0dE5fG7hJ9iK2lM4o'
const token = await sealSessionId(keyring, { sessionId, audience: target.url.origin, state })

// Remote: open the token for its own origin and this browser's state (ShareError → 403).
const claims = await unsealSessionId(keyring, token, {
  audience: 'https://app-a.example.com',
  state,
})
console.log(claims.sessionId === sessionId) // true

export { claims, sessionId }
