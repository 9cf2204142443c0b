/**
 * Strict base64url (RFC 4648 §5) without padding. Hand-written because the
 * platform decoders (`atob`, Buffer) accept padding, whitespace and
 * non-canonical trailing bits, and core must not use Buffer.
 *
 * Decoding accepts exactly one spelling per byte string: only the 64-letter
 * alphabet, no `=`, no length of 4n+1, and the unused low bits of the last
 * character must be zero.
 */

import type { Bytes } from './bytes.js'

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

/** Character code → 6-bit value, or -1 for anything outside the alphabet. */
const DECODE = new Int16Array(128).fill(-1)
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i

/** Length of the base64url text (no padding) for `byteLength` bytes. */
export function encodedLength(byteLength: number): number {
  return Math.ceil((byteLength * 4) / 3)
}

export function encodeBase64url(bytes: Uint8Array): string {
  let out = ''
  const whole = bytes.length - (bytes.length % 3)
  for (let i = 0; i < whole; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!
    out +=
      ALPHABET[n >>> 18]! +
      ALPHABET[(n >>> 12) & 63]! +
      ALPHABET[(n >>> 6) & 63]! +
      ALPHABET[n & 63]!
  }
  const rest = bytes.length - whole
  if (rest === 1) {
    const n = bytes[whole]!
    out += ALPHABET[n >>> 2]! + ALPHABET[(n & 3) << 4]!
  } else if (rest === 2) {
    const n = (bytes[whole]! << 8) | bytes[whole + 1]!
    out += ALPHABET[n >>> 10]! + ALPHABET[(n >>> 4) & 63]! + ALPHABET[(n & 15) << 2]!
  }
  return out
}

/** The bytes of a canonical base64url string, or `null` for anything else. */
export function decodeBase64url(text: string): Bytes | null {
  const tail = text.length % 4
  if (tail === 1) return null
  const out = new Uint8Array(Math.floor((text.length * 3) / 4))
  let o = 0
  let i = 0
  const whole = text.length - tail
  for (; i < whole; i += 4) {
    const a = sextet(text, i)
    const b = sextet(text, i + 1)
    const c = sextet(text, i + 2)
    const d = sextet(text, i + 3)
    if ((a | b | c | d) < 0) return null
    const n = (a << 18) | (b << 12) | (c << 6) | d
    out[o++] = n >>> 16
    out[o++] = (n >>> 8) & 255
    out[o++] = n & 255
  }
  if (tail === 2) {
    const a = sextet(text, i)
    const b = sextet(text, i + 1)
    // The low 4 bits of the last character are unused and must be zero.
    if (a < 0 || b < 0 || (b & 15) !== 0) return null
    out[o++] = (a << 2) | (b >>> 4)
  } else if (tail === 3) {
    const a = sextet(text, i)
    const b = sextet(text, i + 1)
    const c = sextet(text, i + 2)
    // The low 2 bits of the last character are unused and must be zero.
    if (a < 0 || b < 0 || c < 0 || (c & 3) !== 0) return null
    out[o++] = (a << 2) | (b >>> 4)
    out[o++] = ((b & 15) << 4) | (c >>> 2)
  }
  return out
}

/** True when every character of `text` is in the base64url alphabet. */
export function isBase64urlText(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code > 127 || DECODE[code]! < 0) return false
  }
  return true
}

/** The 6-bit value at `index`, or -1 when the character is outside the alphabet. */
function sextet(text: string, index: number): number {
  const code = text.charCodeAt(index)
  return code < 128 ? DECODE[code]! : -1
}
