// The README shows only what runs: each code block is the file linked just
// above it, and each script it names is in package.json.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8')
const readme = read('README.md')
const scripts = JSON.parse(read('package.json')).scripts as Record<string, string>

describe('README', () => {
  const blocks = [...readme.matchAll(/\[`([^`]+)`\]\([^)]+\)\n\n```ts file=\S+\n([\s\S]*?)```/g)]

  it('has code blocks, each under a link to its file', () => {
    expect(blocks.map((block) => block[1])).toEqual(['src/bun-remote.ts', 'src/deno-remote.ts'])
    expect(readme.match(/```/g)?.length).toBe(blocks.length * 2)
  })

  it.each(blocks.map((block) => [block[1] ?? '', block[2] ?? ''] as const))(
    'shows %s as it is',
    (file, code) => {
      expect(code).toBe(read(file))
    },
  )

  it('names only scripts that exist', () => {
    const named = [...readme.matchAll(/@share\/example-runtimes (\S+?)`/g)].map((m) => m[1])
    const mentioned = [...readme.matchAll(/`((?:vectors|pair|remote):(?:bun|deno|\*))`/g)].map(
      (m) => m[1],
    )
    expect(named.length).toBeGreaterThan(0)
    for (const name of [...named, ...mentioned]) {
      if (name?.endsWith(':*')) continue
      expect(scripts, `script ${name}`).toHaveProperty([name!])
    }
  })
})
