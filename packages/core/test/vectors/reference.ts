/**
 * An independent implementation of the v1 formats, written from
 * docs/protocol.md with nothing but Web Crypto and the platform's base64.
 * The vector tests check that @share/core and this agree byte for byte, so
 * the document, the vectors and the code cannot drift apart silently.
 */

const te = new TextEncoder()

function fromB64url(text: string): Uint8Array<ArrayBuffer> {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/')
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))
}

function toB64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '')
}

async function subkeys(syncKey: string) {
  const secret = fromB64url(syncKey.slice('share_sk1_'.length))
  const master = await crypto.subtle.importKey('raw', secret, 'HKDF', false, ['deriveBits'])
  const derive = async (label: string, bits: number) =>
    new Uint8Array(
      await crypto.subtle.deriveBits(
        {
          name: 'HKDF',
          hash: 'SHA-256',
          salt: te.encode('share.hkdf.v1'),
          info: te.encode(`share/v1 ${label}`),
        },
        master,
        bits,
      ),
    )
  return {
    enc: await derive('encryption', 256),
    mac: await derive('mac', 256),
    kid: await derive('key-id', 48),
  }
}

export async function referenceKeyId(syncKey: string): Promise<string> {
  return toB64url((await subkeys(syncKey)).kid)
}

export interface ReferenceSeal {
  syncKey: string
  randomness: Uint8Array<ArrayBuffer>
  now: number
  sessionId: string
  audience: string
  state?: string
  ttl: number
}

export async function referenceSeal(input: ReferenceSeal): Promise<string> {
  const { enc, kid } = await subkeys(input.syncKey)
  const iv = input.randomness.slice(0, 12)
  const tokenId = input.randomness.slice(12, 28)
  const ascii = (text: string) => [text.length, ...te.encode(text)]
  const plaintext = new Uint8Array([
    ...[40, 32, 24, 16, 8, 0].map((shift) => Math.floor(input.now / 2 ** shift) & 255),
    input.ttl >> 8,
    input.ttl & 255,
    ...tokenId,
    ...ascii(input.sessionId),
    ...ascii(input.audience),
    ...ascii(input.state ?? ''),
  ])
  const header = new Uint8Array([1, ...kid])
  const key = await crypto.subtle.importKey('raw', enc, 'AES-GCM', false, ['encrypt'])
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: header },
    key,
    plaintext,
  )
  return toB64url(new Uint8Array([...header, ...iv, ...new Uint8Array(sealed)]))
}

export async function referenceChecksum(syncKey: string, data: string): Promise<string> {
  const { mac, kid } = await subkeys(syncKey)
  const key = await crypto.subtle.importKey('raw', mac, { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ])
  const input = new Uint8Array([...te.encode('share/v1 checksum\0'), ...te.encode(data)])
  const tag = new Uint8Array(await crypto.subtle.sign('HMAC', key, input))
  return toB64url(new Uint8Array([1, ...kid, ...tag]))
}

export function hexToBytes(hex: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(hex.match(/../g) ?? [], (byte) => Number.parseInt(byte, 16))
}
