import fc from 'fast-check'

/**
 * Test-only: fast-check spellings of a path that a router may serve as the
 * same page, for core's path-protection tests and adapters' (through their
 * framework's request objects).
 */

const hex = (char: string) => `%${char.charCodeAt(0).toString(16).padStart(2, '0')}`

/** One character as typed: itself, another case, encoded once or twice. */
const spelledChar = (char: string) =>
  fc.constantFrom(
    char,
    char.toUpperCase(),
    hex(char),
    hex(char).toUpperCase(),
    `%25${hex(char).slice(1)}`,
  )

/** A segment spelled character by character, maybe with a `;` parameter after it. */
export const spelledSegment = (segment: string): fc.Arbitrary<string> =>
  fc
    .tuple(
      ...[...segment].map(spelledChar),
      fc.option(fc.constantFrom(';x', ';jsessionid=1', '%3bx')),
    )
    .map((parts) => parts.map((part) => part ?? '').join(''))

/**
 * `/<head>` plus up to two segments, every segment spelled as above, with a
 * doubled slash, `.`, `x/..` or an encoded `.` between them and maybe a
 * trailing slash.
 */
export const spelledPath = (head: string): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.array(fc.stringMatching(/^[a-z0-9]{1,6}$/), { maxLength: 2 }),
      fc.array(fc.constantFrom('/', '//', '/./', '/x/../', '/%2e/'), {
        minLength: 3,
        maxLength: 3,
      }),
      fc.boolean(),
    )
    .chain(([tail, separators, trailing]) =>
      fc
        .tuple(...[head, ...tail].map(spelledSegment))
        .map(
          (segments) =>
            segments.map((segment, i) => `${separators[i] ?? '/'}${segment}`).join('') +
            (trailing ? '/' : ''),
        ),
    )
