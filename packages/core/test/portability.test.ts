import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

// Core must run unchanged on Node, Bun, Deno, workerd and edge runtimes.
const root = new URL('../src/', import.meta.url)
const sources = readdirSync(root, { recursive: true, encoding: 'utf8' })
  .filter((path) => path.endsWith('.ts') && !path.endsWith('.test.ts'))
  .map((path) => [path, withoutComments(readFileSync(new URL(path, root), 'utf8'))] as const)

/** Drops block comments and whole-line or trailing `//` comments (not `://` in URLs). */
function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|\s)\/\/.*$/gm, '$1')
}

describe('portability of @share/core sources', () => {
  it('finds the sources', () => {
    expect(sources.length).toBeGreaterThan(8)
  })

  it.each(sources)('%s uses no Node built-ins, Buffer, process or Math.random', (_path, code) => {
    expect(code).not.toMatch(/from ['"]node:/)
    expect(code).not.toMatch(/\brequire\(/)
    expect(code).not.toMatch(/\bBuffer\b/)
    expect(code).not.toMatch(/\bprocess\b/)
    expect(code).not.toMatch(/Math\.random/)
  })
})
