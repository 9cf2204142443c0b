/**
 * Bytes and base64url without Node APIs (the store runs on edge runtimes),
 * for building storage keys from arbitrary text.
 */

/**
 * The text's WTF-8 bytes: UTF-8, except that a lone surrogate keeps its own
 * 3-byte form. TextEncoder turns every lone surrogate into U+FFFD, so two
 * different strings could share bytes (and then a storage key); here they
 * never do. For well-formed text this is exactly UTF-8.
 */
export function wtf8(text: string): Uint8Array<ArrayBuffer> {
  const bytes: number[] = []
  // The string iterator yields whole code points, and lone surrogates alone.
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0
    if (code < 0x80) bytes.push(code)
    else if (code < 0x800) bytes.push(0xc0 | (code >> 6), 0x80 | (code & 63))
    else if (code < 0x10000) {
      bytes.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63))
    } else {
      bytes.push(
        0xf0 | (code >> 18),
        0x80 | ((code >> 12) & 63),
        0x80 | ((code >> 6) & 63),
        0x80 | (code & 63),
      )
    }
  }
  return Uint8Array.from(bytes)
}

/** Length of the unpadded base64url text for `byteLength` bytes. */
export function base64urlLength(byteLength: number): number {
  return Math.ceil((byteLength * 4) / 3)
}

/** SHA-256 through Web Crypto (no node:crypto). */
export async function sha256(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))
}
