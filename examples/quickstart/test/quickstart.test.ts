import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { expect, it } from 'vitest'

// The quickstart is documentation that runs: it must keep working against the built package.
it('runs end to end and shows each refusal with its code', () => {
  const script = fileURLToPath(new URL('../index.mjs', import.meta.url))
  const output = execFileSync(process.execPath, [script], { encoding: 'utf8' })
  expect(output).toMatch(/checksum verifies\s+true/)
  expect(output).toMatch(/allowed callback\s+true/)
  expect(output).toContain('ERR_CALLBACK_NOT_ALLOWED')
  expect(output).toMatch(/tampered token\s+ERR_TOKEN_(BAD_SEAL|MALFORMED|UNKNOWN_KEY) \(HTTP 403\)/)
  expect(output).toMatch(/token for another app\s+ERR_TOKEN_AUDIENCE \(HTTP 403\)/)
  expect(output).toMatch(/token without its state\s+ERR_TOKEN_STATE \(HTTP 403\)/)
  expect(output).not.toContain('unexpected')
})
