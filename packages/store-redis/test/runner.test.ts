import { isShareError } from '@share/core'
import { describe, expect, it } from 'vitest'
import { type RedisCommands, scriptSha1, scriptsFor, withDeadline } from '../src/index.js'
import { runScript } from '../src/runner.js'

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

/** runScript under its deadline: a client that throws instead of answering a promise fails at once. */
describe('runScript', () => {
  const code = (error: unknown) => (isShareError(error) ? error.code : 'not a ShareError')
  const line = 'ERR client closed'
  const throwing = () => {
    throw new Error(line)
  }
  const answering = (): Promise<unknown> => Promise.resolve('answered')
  const noScript = (): Promise<unknown> => Promise.reject(new Error('NOSCRIPT No matching script'))
  /** A client whose EVALSHA and EVAL behave as given. */
  const client = (
    evalsha: () => Promise<unknown>,
    evalSource: () => Promise<unknown>,
  ): RedisCommands => ({
    evalsha,
    eval: evalSource,
    hget: async () => null,
    setIfAbsent: async () => true,
    exists: async () => false,
  })
  // A fresh prefix per case: the script's digest is not known yet, so EVALSHA is sent after an await.
  let n = 0
  const fresh = () => scriptsFor(`runner-${process.pid}-${Date.now()}-${n++}:`).getWithParent

  it.each([
    ['EVALSHA throws, digest not yet known', () => client(throwing, answering), false],
    ['EVALSHA throws, digest known', () => client(throwing, answering), true],
    ['EVAL throws after NOSCRIPT', () => client(noScript, throwing), false],
  ] as const)(
    '%s: ERR_STORE_UNAVAILABLE with the cause, not a wait for the deadline',
    async (_name, make, known) => {
      const script = fresh()
      if (known) await scriptSha1(script.source)
      // A 60 s deadline: a throw that escaped would leave this waiting past the test's timeout.
      const error = await runScript(make(), script, ['k'], [''], 60_000).catch((e: unknown) => e)
      expect(code(error)).toBe('ERR_STORE_UNAVAILABLE')
      expect(((error as Error).cause as Error).message).toBe(line)
    },
    5_000,
  )

  it('answers through EVAL when the server has not loaded the script', async () => {
    await expect(runScript(client(noScript, answering), fresh(), ['k'], [''], 1_000)).resolves.toBe(
      'answered',
    )
  })
})
