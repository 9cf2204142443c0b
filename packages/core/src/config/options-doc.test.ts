import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { DEFAULTS } from './defaults.js'
import { HostSchema, RemoteSchema, SessionSchema } from './schema.js'

// docs/options.md is the options reference: it must list exactly the schema's options, each
// under the right role, with the default DEFAULTS really has.
const doc = readFileSync(new URL('../../../../docs/options.md', import.meta.url), 'utf8')
const rows = doc
  .split('\n')
  .filter((line) => line.startsWith('| `'))
  .map((line) => line.split('|').map((cell) => cell.trim()))
  .map(([, name, role, , , defaults]) => ({
    name: name!.replaceAll('`', ''),
    role: role!,
    default: defaults!.replaceAll('`', ''),
  }))

const top = (schema: { entries: object }) => Object.keys(schema.entries)
const host = new Set(top(HostSchema))
const remote = new Set(top(RemoteSchema))
const session = top(SessionSchema).map((key) => `session.${key}`)

describe('docs/options.md', () => {
  it('lists every option of the schema, once, and nothing else', () => {
    const documented = rows.map((row) => row.name).sort()
    const expected = [...new Set([...host, ...remote]), ...session].sort()
    expect(documented).toEqual(expected)
  })

  it('gives each option the role whose schema takes it', () => {
    for (const row of rows.filter((r) => !r.name.startsWith('session.'))) {
      const role =
        host.has(row.name) && remote.has(row.name) ? 'both' : host.has(row.name) ? 'host' : 'remote'
      expect([row.name, row.role]).toEqual([row.name, role])
    }
  })

  it('states the defaults DEFAULTS has', () => {
    const defaults: Record<string, unknown> = {
      basePath: DEFAULTS.basePath,
      cookieName: DEFAULTS.cookieName,
      afterLogoutPath: DEFAULTS.afterLogoutPath,
      development: DEFAULTS.development,
      ...DEFAULTS.host,
      ...DEFAULTS.remote,
      ...Object.fromEntries(Object.entries(DEFAULTS.session).map(([k, v]) => [`session.${k}`, v])),
    }
    for (const [name, value] of Object.entries(defaults)) {
      const row = rows.find((r) => r.name === name)
      expect(row, name).toBeDefined()
      expect([name, row!.default]).toEqual([name, String(value)])
    }
  })
})
