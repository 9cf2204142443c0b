import { describe, expect, it } from 'vitest'
import { isShareError } from '../errors.js'
import { harness } from '../session/test-helpers.js'
import { consumeTokenId } from './replay.js'

async function argumentError(run: () => Promise<unknown>): Promise<string | undefined> {
  const error = await run().then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(isShareError(error) && error.code).toBe('ERR_ARGUMENT_INVALID')
  return isShareError(error) ? error.detail : undefined
}

describe('the replay guard (consumeTokenId)', () => {
  it('is true the first time a token id is seen and false after, reporting only the replay', async () => {
    const h = await harness()
    expect(await consumeTokenId(h.ctx, 'tok-1', 60)).toBe(true)
    expect(h.events.filter((event) => event.type === 'token.replayed')).toHaveLength(0)
    expect(await consumeTokenId(h.ctx, 'tok-1', 60)).toBe(false)
    expect(await consumeTokenId(h.ctx, 'tok-2', 60)).toBe(true)
    const replays = h.events.filter((event) => event.type === 'token.replayed')
    expect(replays).toEqual([{ type: 'token.replayed', at: h.clock.now() }])
  })

  it('remembers the id for exactly ttlSec seconds', async () => {
    const h = await harness()
    expect(await consumeTokenId(h.ctx, 'tok', 2)).toBe(true)
    h.clock.advance(1_999)
    expect(await consumeTokenId(h.ctx, 'tok', 2)).toBe(false)
    h.clock.advance(1)
    expect(await consumeTokenId(h.ctx, 'tok', 2)).toBe(true)
  })

  it('accepts token ids of 1 and 64 characters and ttls of 1 and 3600 seconds', async () => {
    const h = await harness()
    expect(await consumeTokenId(h.ctx, 'a', 1)).toBe(true)
    expect(await consumeTokenId(h.ctx, 'b'.repeat(64), 3600)).toBe(true)
  })

  it.each([
    ['an empty token id', '', 60],
    ['a 65-character token id', 'c'.repeat(65), 60],
    ['a token id that is not a string', 42, 60],
  ])('refuses %s before touching the store', async (_name, tokenId, ttl) => {
    const h = await harness()
    const detail = await argumentError(() => consumeTokenId(h.ctx, tokenId as string, ttl))
    expect(detail).toBe('tokenId must be 1 to 64 characters')
    expect(h.calls.writes).toBe(0)
  })

  it.each([0, 3601, 1.5, Number.NaN])('refuses a ttl of %s seconds', async (ttl) => {
    const h = await harness()
    const detail = await argumentError(() => consumeTokenId(h.ctx, 'tok', ttl))
    expect(detail).toBe('ttlSec must be 1 to 3600 seconds')
    expect(h.calls.writes).toBe(0)
  })
})
