// Core's known-answer run on Bun or Deno, which import core's TypeScript sources directly.
//   vectors               every token, key id and checksum of packages/core/test/vectors/v1.json, made here
//   seal <key> <aud>      a token sealed here with fresh randomness (the ordinary sealer)
//   open <key> <aud> <token>  the claims of a token sealed elsewhere
// Prints one JSON line; the vitest test (on Node) compares it with the file and
// opens or seals the other side.
import { createChecksum } from '../../../packages/core/src/checksum/checksum.ts'
import { createKeyring } from '../../../packages/core/src/keys/keyring.ts'
import {
  sealSessionId,
  sealWithRandomSource,
  unsealSessionId,
} from '../../../packages/core/src/token/seal.ts'
import vectors from '../../../packages/core/test/vectors/v1.json' with { type: 'json' }
import { CROSS_INPUT } from './cross-input.ts'

function hexToBytes(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2)
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16)
  return bytes
}

async function main(args: string[]): Promise<unknown> {
  const [command, key = '', audience = '', token = ''] = args
  if (command === 'vectors') {
    const tokens: { name: string; token: string }[] = []
    for (const vector of vectors.tokens) {
      const randomness = hexToBytes(vector.randomness)
      const keyring = await createKeyring(vector.key)
      tokens.push({
        name: vector.name,
        token: await sealWithRandomSource(keyring, vector.input, { now: vector.now }, (n) =>
          randomness.slice(0, n),
        ),
      })
    }
    const keyIds: Record<string, readonly string[]> = {}
    for (const key of Object.keys(vectors.keyIds)) keyIds[key] = (await createKeyring(key)).keyIds
    const checksums: string[] = []
    for (const vector of vectors.checksums) {
      checksums.push(await createChecksum(await createKeyring(vector.key), vector.data))
    }
    return { tokens, keyIds, checksums }
  }
  const keyring = await createKeyring(key)
  if (command === 'seal') {
    return { token: await sealSessionId(keyring, { ...CROSS_INPUT, audience }) }
  }
  if (command === 'open') {
    const claims = await unsealSessionId(keyring, token, { audience, state: CROSS_INPUT.state })
    return { sessionId: claims.sessionId, audience: claims.audience, state: claims.state }
  }
  throw new Error('usage: vectors | seal <key> <audience> | open <key> <audience> <token>')
}

main(typeof Deno === 'undefined' ? process.argv.slice(2) : Deno.args).then(
  (result) => console.log(JSON.stringify(result)),
  (error: Error) => {
    // The code only (ShareError's), never the token or key.
    console.error(`failed: ${(error as { code?: string }).code ?? error.name}`)
    if (typeof Deno === 'undefined') process.exit(1)
    else Deno.exit(1)
  },
)
