/**
 * The audit log's entries among what an app printed: the `logger` option as
 * `{ info: (entry) => console.log(JSON.stringify(entry)) }` writes one JSON
 * object per event, each starting `{"type":`, possibly after a runtime's own
 * prefix on the line (wrangler's, for one). Other lines are skipped.
 */
export function auditEntries(output: string): Record<string, unknown>[] {
  return output.split('\n').flatMap((line) => {
    const at = line.indexOf('{"type":')
    if (at < 0) return []
    try {
      return [JSON.parse(line.slice(at)) as Record<string, unknown>]
    } catch {
      return []
    }
  })
}
