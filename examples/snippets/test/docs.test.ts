import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

// Every code block in the docs is a file that is typechecked and run: the block must be the
// file, verbatim, named by `<!-- snippet: path/from/repo/root -->` on the line before it or by
// `file=path/from/repo/root` after the fence's language.
const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const CODE = new Set(['ts', 'tsx', 'typescript', 'js', 'mjs', 'javascript', 'jsx'])

function markdownFiles(): string[] {
  const files = ['README.md']
  for (const group of ['packages', 'adapters', 'examples']) {
    for (const name of readdirSync(join(ROOT, group))) {
      if (existsSync(join(ROOT, group, name, 'README.md'))) files.push(`${group}/${name}/README.md`)
    }
  }
  for (const name of readdirSync(join(ROOT, 'docs')))
    if (name.endsWith('.md')) files.push(`docs/${name}`)
  return files
}

interface Block {
  file: string
  line: number
  lang: string
  code: string
  snippet: string | null
}

function codeBlocks(file: string): Block[] {
  const lines = readFileSync(join(ROOT, file), 'utf8').split('\n')
  const blocks: Block[] = []
  for (let i = 0; i < lines.length; i++) {
    // The file is named on the line before (`<!-- snippet: path -->`) or in the info string
    // (```ts file=path).
    const open = /^```(\w*)(?:\s+file=(\S+))?\s*$/.exec(lines[i]!)
    if (!open) continue
    const end = lines.indexOf('```', i + 1)
    if (end < 0) throw new Error(`${file}:${i + 1}: unclosed code block`)
    const marker = /^<!-- snippet: (\S+) -->$/.exec(lines[i - 1] ?? '')
    blocks.push({
      file,
      line: i + 1,
      lang: open[1] ?? '',
      code: lines.slice(i + 1, end).join('\n'),
      snippet: open[2] ?? marker?.[1] ?? null,
    })
    i = end
  }
  return blocks
}

const blocks = markdownFiles().flatMap(codeBlocks)
const code = blocks.filter((block) => CODE.has(block.lang))

describe('code blocks in the docs', () => {
  it('finds the docs and their code', () => {
    expect(code.length).toBeGreaterThan(8)
  })

  it.each(code.map((block) => [`${block.file}:${block.line}`, block] as const))(
    '%s is a file of the repository, verbatim',
    (_where, block) => {
      expect(block.snippet, 'announce the block with <!-- snippet: path -->').not.toBeNull()
      const path = join(ROOT, block.snippet!)
      expect(existsSync(path), `${block.snippet} exists`).toBe(true)
      expect(block.code.trim()).toBe(readFileSync(path, 'utf8').trim())
    },
  )

  it('every block has a language, so none hides code from this check', () => {
    const bare = blocks.filter((block) => block.lang === '').map((b) => `${b.file}:${b.line}`)
    expect(bare).toEqual([])
  })

  it('snippets of this package are all used by some doc (no stale copies)', () => {
    const used = new Set(code.map((block) => block.snippet))
    const here = relative(ROOT, fileURLToPath(new URL('../src/', import.meta.url)))
    const files = readdirSync(join(ROOT, here)).map((name) => `${here}/${name}`)
    expect(files.filter((file) => !used.has(file))).toEqual([])
  })
})
