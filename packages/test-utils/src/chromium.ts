/**
 * The system Chromium for end-to-end tests, through playwright-core (which
 * never downloads a browser here). One place for the path and the flags.
 *
 * @module
 */
import { type Browser, chromium, type LaunchOptions } from 'playwright-core'

/** Debian's Chromium (`apt-get install -y chromium`), unless `CHROMIUM_PATH` names another. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/**
 * No sandbox (tests run as root), no GPU, and no background traffic:
 * without the networking flags Chromium keeps dialling blocked hosts.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** A headless system Chromium with a fresh profile; `options.args` are added to the flags above. */
export function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  return chromium.launch({
    headless: true,
    executablePath: CHROMIUM_PATH,
    ...options,
    args: [...CHROMIUM_ARGS, ...(options.args ?? [])],
  })
}
