/** Text from the store (user agents, IPs, origins) made safe for a terminal: no control characters. */
export function printable(text: string | null | undefined, max = 80): string {
  if (text === null || text === undefined || text === '') return '-'
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?')
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean
}

/** Epoch milliseconds as `2026-12-01 20:40Z` (UTC, to the minute). */
export function time(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')}Z`
}

/** A short device name from a user agent: `Firefox on Linux`, or the start of the text. */
export function device(userAgent: string | null | undefined): string {
  if (!userAgent) return '-'
  const browser = [
    [/Edg(e|A|iOS)?\//, 'Edge'],
    [/OPR\//, 'Opera'],
    [/Firefox\/|FxiOS\//, 'Firefox'],
    [/Chrome\/|CriOS\//, 'Chrome'],
    [/Safari\//, 'Safari'],
    [/^curl\//, 'curl'],
  ].find(([pattern]) => (pattern as RegExp).test(userAgent))?.[1] as string | undefined
  const os = [
    [/iPhone|iPad|iPod/, 'iOS'],
    [/Android/, 'Android'],
    [/Windows/, 'Windows'],
    [/Mac OS X|Macintosh/, 'macOS'],
    [/CrOS/, 'ChromeOS'],
    [/Linux/, 'Linux'],
  ].find(([pattern]) => (pattern as RegExp).test(userAgent))?.[1] as string | undefined
  if (browser && os) return `${browser} on ${os}`
  return browser ?? os ?? printable(userAgent, 24)
}

/** An origin's host (and port) for a table cell. */
export function hostOf(origin: string): string {
  try {
    return printable(new URL(origin).host)
  } catch {
    return printable(origin)
  }
}

/** Rows as aligned columns under a header. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  )
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!)))
      .join('  ')
  return [line(header), ...rows.map(line)]
}

/** A short, non-reversible name for a secret (a session id): `#` + 10 base64url characters of SHA-256. */
export async function shortHash(secret: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(secret))
  return `#${Buffer.from(digest).toString('base64url').slice(0, 10)}`
}
