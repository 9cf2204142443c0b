import { isShareError } from '@share/core'
import { describe, expect, it } from 'vitest'
import { withDeadline } from '../src/index.js'

/** The deadline around every store command: an answer, or ERR_STORE_UNAVAILABLE, never a hang. */
describe('withDeadline', () => {
  const code = (error: unknown) => (isShareError(error) ? error.code : 'not a ShareError')

  it('answers what the command answered, in time', async () => {
    await expect(withDeadline(async () => 'value', 1_000)).resolves.toBe('value')
  })

  it('gives up after the deadline with ERR_STORE_UNAVAILABLE', async () => {
    const started = Date.now()
    const never = new Promise<string>(() => {})
    const error = await withDeadline(() => never, 50).catch((e: unknown) => e)
    expect(code(error)).toBe('ERR_STORE_UNAVAILABLE')
    expect(Date.now() - started).toBeLessThan(1_000)
    expect((error as { detail?: string }).detail).toBe('no answer within 50 ms')
  })

  it('fails at once, not at the deadline, when the command fails or throws', async () => {
    const line = "READONLY You can't write against a read only replica."
    for (const operation of [
      () => Promise.reject(new Error(line)),
      () => {
        throw new Error(line)
      },
    ]) {
      const started = Date.now()
      const error = await withDeadline(operation, 10_000).catch((e: unknown) => e)
      expect(code(error)).toBe('ERR_STORE_UNAVAILABLE')
      expect(Date.now() - started).toBeLessThan(1_000)
      // The driver's first line is the cause; no deadline was reached.
      expect((error as { detail?: string }).detail).toBeUndefined()
      expect(((error as Error).cause as Error).message).toBe(line)
    }
  })

  it('turns a failed command, or one that throws before its promise, into ERR_STORE_UNAVAILABLE', async () => {
    const secret = 'ERR wrong password for user share-secret-123'
    for (const operation of [
      () => Promise.reject(new Error(secret)),
      () => {
        throw new Error(secret)
      },
    ]) {
      const error = await withDeadline(operation, 1_000).catch((e: unknown) => e)
      expect(code(error)).toBe('ERR_STORE_UNAVAILABLE')
      // The driver's message stays out of what reaches an app's error page or log.
      expect(String((error as Error).message)).not.toContain('share-secret-123')
    }
  })
})
