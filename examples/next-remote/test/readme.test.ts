// Every code block in @share/next's README is a file of this example, byte for byte: the
// files are typechecked, built and run by the other tests, so the README cannot rot.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { APP_DIR } from './harness.ts'

const ROOT = join(APP_DIR, '..', '..')
const readme = readFileSync(join(ROOT, 'adapters', 'next', 'README.md'), 'utf8')
// A block names its file as ```ts file=path, or on the line before as <!-- snippet: path -->.
const blocks = [
  ...readme.matchAll(/^(?:<!-- snippet: (\S+) -->\n)?```(\S*)(?: file=(\S+))?\n([\s\S]*?)^```$/gm),
].map(([whole, snippet, lang, file, text]) => [whole, lang, snippet ?? file, text] as const)

describe('adapters/next/README.md', () => {
  it('has code blocks, each naming its file', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(5)
    expect(blocks.filter((block) => !block[2]).map((block) => block[0])).toEqual([])
    // No fence the pattern missed (an unterminated or oddly written block).
    expect(readme.match(/^```/gm)?.length).toBe(blocks.length * 2)
  })

  it.each(blocks.map((block) => [block[2], block[3]]))('shows %s as it is', (file, text) => {
    expect(text).toBe(readFileSync(join(ROOT, file!), 'utf8'))
  })
})
