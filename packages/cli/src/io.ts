/** Where a command writes and what it reads: the process's, or a test's. */
export interface Io {
  out(line: string): void
  err(line: string): void
  /** True when stderr is a terminal (progress indications go there). */
  readonly isTTY: boolean
  /** Redraws the one status line on stderr (a terminal's progress bar); `null` clears it. */
  status(text: string | null): void
  readonly env: Readonly<Record<string, string | undefined>>
  /** Standard input as text, for `-` arguments. */
  readStdin(): Promise<string>
}

/** A failure with the exit code it deserves: 2 for usage (fix the command), 1 otherwise. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message)
    this.name = 'CliError'
  }
}

export const usageError = (message: string) => new CliError(message, 2)

export function processIo(): Io {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    isTTY: process.stderr.isTTY === true,
    status: (text) => process.stderr.write(`\r\u001b[2K${text ?? ''}`),
    env: process.env,
    readStdin: async () => {
      const chunks: Buffer[] = []
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
      return Buffer.concat(chunks).toString('utf8')
    },
  }
}
