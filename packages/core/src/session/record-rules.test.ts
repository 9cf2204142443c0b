// Every rule of a stored record's shape, one at a time: a record read from a shared store is
// either whole or no session at all, never half-trusted. Each bad value is refused by
// parseRecord and named by serializeRecord's error; each value at a rule's edge is accepted.
import { describe, expect, it } from 'vitest'
import { parseRecord, type SessionRecord, serializeRecord } from './record.js'
import { sampleRecord } from './test-helpers.js'

const visit = { audience: 'https://a.example', firstSeenAt: 1, lastSeenAt: 2 }

/** [field named in the error, what is changed, the changed record]. */
const refused: [string, string, Record<string, unknown>][] = [
  ['id', 'an empty id', { id: '' }],
  ['id', 'an id past 1024 characters', { id: 'x'.repeat(1025) }],
  ['id', 'an id that is a number', { id: 7 }],
  ['kind', 'a kind of "root"', { kind: 'root' }],
  ['userId', 'an empty user id', { userId: '' }],
  ['userId', 'a user id past 1024 characters', { userId: 'u'.repeat(1025) }],
  ['handle', 'a handle past 64 characters', { handle: 'h'.repeat(65) }],
  ['handle', 'a handle that is null', { handle: null }],
  ['parentId', 'a parent id that is a number', { parentId: 3 }],
  ['parentId', 'a parent id past 1024 characters', { parentId: 'p'.repeat(1025) }],
  ['audience', 'an audience past 255 characters', { audience: 'a'.repeat(256) }],
  ['audience', 'an audience that is an object', { audience: {} }],
  ['createdAt', 'a fractional time', { createdAt: 1.5 }],
  ['lastSeenAt', 'a negative time', { lastSeenAt: -1 }],
  ['idleExpiresAt', 'a time past the safe integers', { idleExpiresAt: 2 ** 53 }],
  ['absoluteExpiresAt', 'a time that is a string', { absoluteExpiresAt: '4' }],
  ['rememberMe', 'rememberMe as 1', { rememberMe: 1 }],
  ['client', 'a client that is a string', { client: 'UA' }],
  ['client', 'a client with a third field', { client: { ip: null, userAgent: null, x: 1 } }],
  ['client', 'a client with one field', { client: { ip: null } }],
  ['client', 'an IP past 64 characters', { client: { ip: '1'.repeat(65), userAgent: null } }],
  ['client', 'an IP that is a number', { client: { ip: 1, userAgent: null } }],
  [
    'client',
    'a user agent past 512 characters',
    { client: { ip: null, userAgent: 'u'.repeat(513) } },
  ],
  ['remotes', 'remotes that are an object', { remotes: {} }],
  ['remotes', 'one bad visit after a good one', { remotes: [visit, { ...visit, audience: 5 }] }],
  ['remotes', 'a visit with a fourth field', { remotes: [{ ...visit, extra: 1 }] }],
  ['remotes', 'a visit that is null', { remotes: [null] }],
  ['remotes', 'a visit with a bad time', { remotes: [{ ...visit, lastSeenAt: -1 }] }],
  ['remotes', 'a visit with a bad first time', { remotes: [{ ...visit, firstSeenAt: '1' }] }],
  ['version', 'a version of 0', { version: 0 }],
  ['version', 'a fractional version', { version: 1.5 }],
]

describe('a stored record, rule by rule', () => {
  it.each(refused)('refuses %s: %s', (field, _what, change) => {
    const bad = { ...sampleRecord, ...change }
    expect(parseRecord(JSON.stringify(bad))).toBeNull()
    expect(() => serializeRecord(bad as unknown as SessionRecord)).toThrow(
      `session record is not storable: ${field} is invalid`,
    )
  })

  it('refuses a record with a field missing, or one too many', () => {
    const { version: _version, ...missing } = sampleRecord
    for (const bad of [missing, { ...sampleRecord, admin: true }]) {
      expect(parseRecord(JSON.stringify(bad))).toBeNull()
      expect(() => serializeRecord(bad as unknown as SessionRecord)).toThrow(
        'session record is not storable: record (unknown fields) is invalid',
      )
    }
  })

  it('refuses a record whose user is missing or undefined, though it has 15 fields', () => {
    const { user: _user, ...rest } = sampleRecord
    expect(parseRecord(JSON.stringify({ ...rest, other: 1 }))).toBeNull()
    expect(() => serializeRecord({ ...rest, other: 1 } as unknown as SessionRecord)).toThrow(
      'session record is not storable: user is invalid',
    )
    expect(() => serializeRecord({ ...rest, user: undefined } as unknown as SessionRecord)).toThrow(
      'session record is not storable: user is invalid',
    )
  })

  it('refuses what is not an object', () => {
    for (const text of ['null', '[]', '"record"', '1']) expect(parseRecord(text)).toBeNull()
    expect(() => serializeRecord(null as unknown as SessionRecord)).toThrow(
      'session record is not storable: record is invalid',
    )
  })

  it.each([
    [
      'a linked session',
      { kind: 'linked', parentId: 'p'.repeat(49), audience: 'https://b.example' },
    ],
    [
      'the longest id, user id and parent id',
      { id: 'i'.repeat(1024), userId: 'u'.repeat(1024), parentId: 'p'.repeat(1024) },
    ],
    ['the longest handle', { handle: 'h'.repeat(64) }],
    ['an empty handle', { handle: '' }],
    ['the longest audience', { audience: 'a'.repeat(255) }],
    ['a time of 0', { createdAt: 0, lastSeenAt: 0 }],
    ['a user of null', { user: null }],
    ['a remembered session', { rememberMe: true }],
    ['no client', { client: null }],
    [
      'a client with the longest IP and user agent',
      { client: { ip: '1'.repeat(64), userAgent: 'u'.repeat(512) } },
    ],
    ['a client with only an IP', { client: { ip: '203.0.113.7', userAgent: null } }],
    ['a client with only a user agent', { client: { ip: null, userAgent: 'UA' } }],
    ['no remotes', { remotes: [] }],
    ['two remotes', { remotes: [visit, { ...visit, audience: 'https://c.example' }] }],
    ['a visit at the longest audience', { remotes: [{ ...visit, audience: 'a'.repeat(255) }] }],
    ['a high version', { version: 2 ** 40 }],
  ])('accepts %s', (_what, change) => {
    const good = { ...sampleRecord, ...change } as SessionRecord
    expect(parseRecord(serializeRecord(good))).toEqual(good)
  })

  it('hands out records frozen all the way down: a parsed record is shared by every request', () => {
    const parsed = parseRecord(serializeRecord(sampleRecord))!
    const user = parsed.user as { tags: string[]; nested: { ok: boolean } }
    for (const part of [
      parsed,
      parsed.client,
      parsed.remotes,
      parsed.remotes[0],
      user,
      user.tags,
      user.nested,
    ]) {
      expect(Object.isFrozen(part)).toBe(true)
    }
    // What one request's code might try on the shared record (ES modules are strict: it throws).
    expect(() => user.tags.push('admin')).toThrow(TypeError)
    expect(() => {
      ;(parsed as { userId: string }).userId = 'mallory'
    }).toThrow(TypeError)
    expect(parseRecord(serializeRecord(sampleRecord))).toEqual(sampleRecord)
  })
})
