/** Small byte helpers shared by the token, checksum and callback code. */

/** Bytes backed by a plain ArrayBuffer: what Web Crypto accepts. */
export type Bytes = Uint8Array<ArrayBuffer>

const encoder = new TextEncoder()
const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

export function utf8(text: string): Bytes {
  // Always a fresh ArrayBuffer; @cloudflare/workers-types types it as any-buffer bytes.
  return encoder.encode(text) as Bytes
}

/** UTF-8 bytes to text, or `null` when the bytes are not valid UTF-8. */
export function fromUtf8(bytes: Uint8Array): string | null {
  try {
    return strictDecoder.decode(bytes)
  } catch {
    return null
  }
}

/** Compares two strings in time that depends only on their lengths. */
export function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return diff === 0
}

export function concatBytes(...parts: Uint8Array[]): Bytes {
  let length = 0
  for (const part of parts) length += part.length
  const out = new Uint8Array(length)
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}

const POOL_BYTES = 4096

/** A function that returns `count` fresh random bytes. */
export type RandomSource = (count: number) => Bytes

/**
 * A source of fresh bytes from `crypto.getRandomValues`, served from a 4 KiB
 * pool that is refilled when spent. Each call to getRandomValues costs
 * several microseconds on Node whatever its size, more than the rest of a
 * seal, so the pool pays it once per ~140 tokens. Bytes are copied out and
 * never handed out twice. One pool per keyring or engine: apps in one
 * process share no state. The first refill happens on first use, never at
 * creation (Workers refuse random values at global scope).
 */
export function createRandomPool(): RandomSource {
  let pool = new Uint8Array(0)
  let offset = 0
  return (count) => {
    if (count > POOL_BYTES) return crypto.getRandomValues(new Uint8Array(count))
    if (offset + count > pool.length) {
      pool = crypto.getRandomValues(new Uint8Array(POOL_BYTES))
      offset = 0
    }
    const out = pool.slice(offset, offset + count)
    offset += count
    return out
  }
}
