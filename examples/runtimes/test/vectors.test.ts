// Core's known-answer vectors reproduced byte for byte on Bun and on Deno,
// and tokens sealed on one runtime (Node, Bun, Deno) opened on each other.
import { createKeyring, generateSyncKey, sealSessionId, unsealSessionId } from '@share/core/token'
import { beforeAll, describe, expect, it } from 'vitest'
import vectors from '../../../packages/core/test/vectors/v1.json' with { type: 'json' }
import { CROSS_INPUT } from '../src/cross-input.ts'
import { type Runtime, runScript } from './runtimes.ts'

const RUNTIMES: Runtime[] = ['bun', 'deno']

/** `pnpm vectors:<runtime>`, or the same script with other arguments. */
async function runJson<T>(runtime: Runtime, args?: string[]): Promise<T> {
  return JSON.parse(await runScript(`vectors:${runtime}`, args)) as T
}

describe.each(RUNTIMES)('known-answer vectors on %s', (runtime) => {
  let produced: {
    tokens: { name: string; token: string }[]
    keyIds: Record<string, string[]>
    checksums: string[]
  }
  beforeAll(async () => {
    produced = await runJson(runtime)
  })

  it('prints one token per vector, in order', () => {
    expect(produced.tokens.map((entry) => entry.name)).toEqual(vectors.tokens.map((v) => v.name))
  })

  it.each(vectors.tokens.map((vector) => [vector.name, vector] as const))(
    'seals "%s" to the exact bytes',
    (name, vector) => {
      expect(produced.tokens.find((entry) => entry.name === name)?.token).toBe(vector.token)
    },
  )

  it('derives every key id', () => {
    const expected = Object.fromEntries(
      Object.entries(vectors.keyIds).map(([key, keyId]) => [key, [keyId]]),
    )
    expect(produced.keyIds).toEqual(expected)
  })

  it('makes every checksum', () => {
    expect(produced.checksums).toEqual(vectors.checksums.map((vector) => vector.checksum))
  })
})

describe('a token sealed on one runtime opens on each other', () => {
  const key = generateSyncKey()
  const audience = 'https://app.example.com'
  type Sealer = Runtime | 'node'

  async function seal(on: Sealer): Promise<string> {
    if (on === 'node') return sealSessionId(await createKeyring(key), { ...CROSS_INPUT, audience })
    return (await runJson<{ token: string }>(on, ['seal', key, audience])).token
  }

  async function open(on: Sealer, token: string, forAudience = audience) {
    if (on === 'node') {
      const claims = await unsealSessionId(await createKeyring(key), token, {
        audience: forAudience,
        state: CROSS_INPUT.state,
      })
      return { sessionId: claims.sessionId, audience: claims.audience, state: claims.state }
    }
    return runJson(on, ['open', key, forAudience, token])
  }

  const pairs: [Sealer, Sealer][] = [
    ['bun', 'deno'],
    ['bun', 'node'],
    ['deno', 'bun'],
    ['deno', 'node'],
    ['node', 'bun'],
    ['node', 'deno'],
  ]
  it.each(pairs)('sealed on %s, opened on %s', async (sealer, opener) => {
    const token = await seal(sealer)
    expect(await open(opener, token)).toEqual({ ...CROSS_INPUT, audience })
  })

  it.each(RUNTIMES)(
    'on %s, refuses a token for another audience or with a flipped byte',
    async (runtime) => {
      const token = await seal('node')
      await expect(open(runtime, token, 'https://other.example.com')).rejects.toThrow(
        'ERR_TOKEN_AUDIENCE',
      )
      const flipped = `${token.slice(0, 40)}${token[40] === 'A' ? 'B' : 'A'}${token.slice(41)}`
      await expect(open(runtime, flipped)).rejects.toThrow('ERR_TOKEN_BAD_SEAL')
    },
  )
})
