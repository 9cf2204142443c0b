import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createRecordParser, parseRecord, serializeRecord } from './record.js'
import { sampleRecord as record } from './test-helpers.js'

/** A copy of the string that is not the same object: what a store's driver hands over each time. */
const fresh = (text: string) => Buffer.from(text).toString()

describe('createRecordParser', () => {
  it('answers the record it parsed before for the same text, without parsing again', () => {
    const parse = createRecordParser()
    const text = serializeRecord(record)
    const first = parse(fresh(text))
    expect(first).toEqual(record)
    expect(parse(fresh(text))).toBe(first)
  })

  it('parses again once the record was written: a new version of the same id is never the old one', () => {
    const parse = createRecordParser()
    const before = parse(serializeRecord(record))
    const touched = { ...record, lastSeenAt: 99, version: 2 }
    const after = parse(serializeRecord(touched))
    expect(after).toEqual(touched)
    expect(after).not.toBe(before)
    // And back: the same id with its old text is the old record, not the cached new one.
    expect(parse(serializeRecord(record))).toEqual(record)
  })

  it('keys text that does not start with the id by the whole text', () => {
    const parse = createRecordParser()
    const { id, ...rest } = record
    const reordered = JSON.stringify({ ...rest, id })
    const first = parse(reordered)
    expect(first).toEqual(record)
    expect(parse(fresh(reordered))).toBe(first)
    expect(parse(serializeRecord(record))).toEqual(record)
  })

  it('never caches an invalid text, nor a non-string', () => {
    const parse = createRecordParser()
    const bad = JSON.stringify({ ...record, admin: true })
    expect(parse(bad)).toBeNull()
    expect(parse(bad)).toBeNull()
    expect(parse(42)).toBeNull()
    expect(parse(null)).toBeNull()
  })

  it('holds at most `size` records, the oldest leaving first', () => {
    const parse = createRecordParser(2)
    const ids = ['a', 'b', 'c'].map((c) => c.repeat(49))
    const texts = ids.map((id) => serializeRecord({ ...record, id }))
    const parsed = texts.map((text) => parse(text))
    // 'a' left when 'c' came: parsed again, a new object; 'c' is still the same one.
    expect(parse(fresh(texts[2]!))).toBe(parsed[2])
    expect(parse(fresh(texts[0]!))).not.toBe(parsed[0])
    expect(parse(fresh(texts[0]!))).toEqual(parsed[0])
  })

  it("a record's new text takes its own place: the other records stay", () => {
    const parse = createRecordParser(2)
    const [a, b, c] = ['a', 'b', 'c'].map((ch) => ({ ...record, id: ch.repeat(49) }))
    parse(serializeRecord(a!))
    const parsedB = parse(serializeRecord(b!))
    parse(serializeRecord({ ...a!, version: 2 })) // a written: still two records held
    parse(serializeRecord(c!)) // the oldest, a, leaves; b stays
    expect(parse(fresh(serializeRecord(b!)))).toBe(parsedB)
  })

  it('remembers nothing with size 0', () => {
    const parse = createRecordParser(0)
    const text = serializeRecord(record)
    expect(parse(text)).not.toBe(parse(text))
  })

  it('answers exactly what parseRecord answers, for any sequence of texts', () => {
    const texts = fc.oneof(
      fc
        .record({
          id: fc.constantFrom('a'.repeat(49), 'b'.repeat(49)),
          version: fc.integer({ min: 1, max: 3 }),
        })
        .map((change) => serializeRecord({ ...record, ...change })),
      fc.string(),
      fc.constant(`{"id":"${'a'.repeat(49)}`),
    )
    fc.assert(
      fc.property(
        fc.array(texts, { maxLength: 20 }),
        fc.integer({ min: 0, max: 3 }),
        (sequence, size) => {
          const parse = createRecordParser(size)
          for (const text of sequence) expect(parse(fresh(text))).toEqual(parseRecord(text))
        },
      ),
    )
  })
})
