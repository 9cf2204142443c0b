import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseRecord, serializeRecord } from './record.js'
import { sampleRecord as record } from './test-helpers.js'

describe('stored record text', () => {
  it('round-trips', () => {
    expect(parseRecord(serializeRecord(record))).toEqual(record)
  })

  it.each([
    ['not JSON', '{'],
    ['not an object', '[]'],
    ['a missing field', JSON.stringify({ ...record, version: undefined })],
    ['an extra field', JSON.stringify({ ...record, admin: true })],
    ['a wrong kind', JSON.stringify({ ...record, kind: 'root' })],
    ['a version of 0', JSON.stringify({ ...record, version: 0 })],
    ['a negative time', JSON.stringify({ ...record, createdAt: -1 })],
    ['a string time', JSON.stringify({ ...record, createdAt: '1' })],
    [
      'a huge user agent',
      JSON.stringify({ ...record, client: { ip: null, userAgent: 'x'.repeat(600) } }),
    ],
    ['not a string at all', 42],
  ])('treats %s as no record', (_name, text) => {
    expect(parseRecord(text)).toBeNull()
  })

  it('refuses to serialize what it could not parse back', () => {
    const tooLong = { ...record, id: 'x'.repeat(2000) }
    expect(() => serializeRecord(tooLong)).toThrow(/not storable: id is invalid/)
    expect(() => serializeRecord({ ...record, version: 0 })).toThrow(/version/)
  })

  it('does not let __proto__ keys in stored JSON pollute prototypes', () => {
    const text = serializeRecord(record).replace(
      '"nested":',
      '"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"nested":',
    )
    const parsed = parseRecord(text)
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined()
    expect(Object.getPrototypeOf(parsed?.user)).toBe(Object.prototype)
    expect((parsed?.user as { polluted?: boolean } | undefined)?.polluted).toBeUndefined()
  })

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (text) => {
        const parsed = parseRecord(text)
        expect(parsed === null || typeof parsed.id === 'string').toBe(true)
      }),
      { numRuns: 500 },
    )
  })
})
