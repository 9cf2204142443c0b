import { describe, expect, it } from 'vitest'
import { isShareError } from '../errors.js'
import { createKeySource } from './key-source.js'
import { createKeyring } from './keyring.js'
import { generateSyncKey } from './sync-key.js'

describe('createKeySource', () => {
  it('checks the keys when made, before any crypto', () => {
    let thrown: unknown
    try {
      createKeySource('share_sk1_tooShort')
    } catch (error) {
      thrown = error
    }
    expect(isShareError(thrown) && thrown.code).toBe('ERR_KEY_INVALID')
  })

  it('derives once: every load shares one promise and one keyring, then `loaded` holds it', async () => {
    const key = generateSyncKey()
    const source = createKeySource([key])
    expect(source.loaded).toBeUndefined()
    const first = source.load()
    const second = source.load()
    expect(second).toBe(first)
    const keyring = await first
    expect(source.loaded).toBe(keyring)
    expect(await source.load()).toBe(keyring)
    expect(keyring.keyIds).toEqual((await createKeyring(key)).keyIds)
  })
})
