import { describe, expect, it } from 'vitest'
import { generateSyncKey } from '../keys/sync-key.js'
import { createMemoryStore } from '../memory/memory-store.js'
import { createShareHost } from './host.js'
import { createShareRemote } from './remote.js'
import type { ShareRequest } from './request.js'

/**
 * `handle()` never throws and never rejects, even for a request object that
 * cannot be read (an adapter whose `headers.get` or `url` throws): the answer
 * is core's fixed 500 page, and the developer hears the cause through
 * `onError`. Only a broken adapter can do this; the contract still holds.
 */

const APP = 'http://app.localhost:4001'
const HOST = 'http://idp.localhost:4000'

function handlers(onError: (error: Error) => void) {
  const syncKey = generateSyncKey()
  const store = createMemoryStore()
  const remote = createShareRemote({ syncKey, appUrl: APP, hostUrl: HOST, store, onError })
  const host = createShareHost({ syncKey, appUrl: HOST, knownRemotes: [APP], store, onError })
  return { remote, host }
}

const broken = (url: string, part: 'headers' | 'url'): ShareRequest => ({
  method: 'GET',
  get url(): string {
    if (part === 'url') throw new TypeError('url unavailable')
    return url
  },
  headers: {
    get() {
      throw new TypeError('headers unavailable')
    },
  },
  body: null,
})

describe('a request that cannot be read', () => {
  it.each([
    ['remote', 'a page', `${APP}/page`, 'headers'],
    ['remote', 'the callback', `${APP}/share/callback?token=abc`, 'headers'],
    ['remote', 'the login step', `${APP}/share/login`, 'headers'],
    ['remote', 'any URL', `${APP}/page`, 'url'],
    ['host', 'a page', `${HOST}/page`, 'headers'],
    ['host', 'any URL', `${HOST}/page`, 'url'],
  ] as const)(
    '%s, %s, unreadable %s: a fixed 500 page, the cause to onError',
    async (role, _what, url, part) => {
      const errors: Error[] = []
      const app = handlers((error) => errors.push(error))[role]
      let outcome: unknown
      expect(() => {
        outcome = app.handle(broken(url, part as 'headers' | 'url'))
      }).not.toThrow()
      const answer = (await outcome) as { type: string; response: Response }
      expect(answer.type).toBe('respond')
      expect(answer.response.status).toBe(500)
      const page = await answer.response.text()
      expect(page).toContain('ERR_INTERNAL')
      // The page is fixed text: the cause goes to the developer, not the browser.
      expect(page).not.toContain('unavailable')
      expect(errors.map((error) => String((error as { detail?: string }).detail))).toContainEqual(
        expect.stringContaining('unavailable'),
      )
    },
  )
})
