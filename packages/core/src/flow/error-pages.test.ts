import { describe, expect, it } from 'vitest'
import { ShareError } from '../errors.js'
import { generateSyncKey } from '../keys/sync-key.js'
import { createMemoryStore } from '../memory/memory-store.js'
import type { SessionEvent } from '../session/events.js'
import { createShareRemote } from './remote.js'
import { errorResponse } from './responses.js'
import { APP_A, HOST } from './test-harness.js'

/** The pages and JSON a failed request gets: status, headers and the words a person reads. */

const pageRequest = (headers: Record<string, string> = {}) =>
  new Request(`${APP_A}/share/callback`, { headers })

describe('an error page', () => {
  it('is HTML with the fixed message, the code and a strict CSP, never cached', async () => {
    const response = errorResponse(new ShareError('ERR_TOKEN_EXPIRED'), pageRequest())
    expect(response.status).toBe(403)
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(response.headers.get('content-security-policy')).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    )
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(response.headers.get('allow')).toBeNull()
    const body = await response.text()
    expect(body).toContain('<h1>That did not work</h1>')
    expect(body).toContain(`<p>${new ShareError('ERR_TOKEN_EXPIRED').message}.</p>`)
    expect(body).toContain('<code>ERR_TOKEN_EXPIRED</code>')
    expect(body).toMatch(/<code>ERR_TOKEN_EXPIRED<\/code><\/p><\/body><\/html>$/)
  })

  it('asks to try again shortly when the store is down (503)', async () => {
    const response = errorResponse(new ShareError('ERR_STORE_UNAVAILABLE'), pageRequest())
    expect(response.status).toBe(503)
    expect(await response.text()).toContain('<h1>Please try again shortly</h1>')
  })

  it('names the methods it takes on a 405', () => {
    const response = errorResponse(new ShareError('ERR_METHOD_NOT_ALLOWED'), pageRequest())
    expect(response.status).toBe(405)
    expect(response.headers.get('allow')).toBe('GET, POST')
  })

  it('offers its link with the href and label escaped', async () => {
    const response = errorResponse(new ShareError('ERR_TOKEN_STATE'), pageRequest(), {
      link: { href: '/login?return=/a"b&c', label: 'Sign <in> again' },
    })
    expect(await response.text()).toContain(
      '<p><a href="/login?return=/a&#34;b&#38;c">Sign &#60;in&#62; again</a></p>',
    )
  })

  it('is JSON for a client that asks for it, or when the caller says so', async () => {
    for (const [request, options] of [
      [pageRequest({ accept: 'application/json' }), {}],
      [pageRequest({ accept: 'text/html' }), { json: true }],
    ] as const) {
      const response = errorResponse(new ShareError('ERR_FORBIDDEN'), request, options)
      expect(response.status).toBe(403)
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8')
      expect(await response.json()).toEqual({
        error: { code: 'ERR_FORBIDDEN', message: new ShareError('ERR_FORBIDDEN').message },
      })
    }
  })

  it('says only "internal" for anything that is not a ShareError', async () => {
    const response = errorResponse(
      new Error('secret detail'),
      pageRequest({ accept: 'application/json' }),
    )
    expect(response.status).toBe(500)
    const body = await response.text()
    expect(body).toContain('"code":"ERR_INTERNAL"')
    expect(body).not.toContain('secret detail')
  })
})

describe('a failed step at a remote', () => {
  function remoteWith(options: { onError?: (error: ShareError) => void } = {}) {
    const events: SessionEvent[] = []
    const store = new Proxy(createMemoryStore(), {
      get(target, property) {
        if (property === 'setIfAbsent' || property === 'getWithParent') {
          return () => Promise.reject(new Error('ECONNRESET'))
        }
        return Reflect.get(target, property)
      },
    })
    const remote = createShareRemote({
      syncKey: generateSyncKey(),
      appUrl: APP_A,
      hostUrl: HOST,
      store,
      onEvent: (event) => events.push(event),
      ...options,
    })
    return { remote, events }
  }

  it('reports a store outage as a store.unavailable event, and other failures not', async () => {
    const { remote, events } = remoteWith()
    // Writes still work, reads fail: a signed cookie reaches the store, which does not answer.
    const { cookie } = await remote.engine.create({ userId: 'alice' })
    const down = await remote.handle(
      new Request(`${APP_A}/share/session`, {
        headers: { cookie: `${remote.cookieName}=${cookie}` },
      }),
    )
    expect(down.type === 'respond' && down.response.status).toBe(503)
    expect(events.filter((event) => event.type === 'store.unavailable')).toEqual([
      { type: 'store.unavailable', at: expect.any(Number), operation: 'request' },
    ])
    events.length = 0
    await remote.handle(new Request(`${APP_A}/share/callback`, { method: 'POST' }))
    expect(events.filter((event) => event.type === 'store.unavailable')).toEqual([])
  })

  it('reaches onError with the code and the path without its query', async () => {
    const seen: [string, string, string][] = []
    const remote = createShareRemote({
      syncKey: generateSyncKey(),
      appUrl: APP_A,
      hostUrl: HOST,
      store: createMemoryStore(),
      onError: (error, request) => seen.push([error.code, request.method, request.path]),
    })
    await remote.handle(new Request(`${APP_A}/share/callback?token=abc.def`))
    expect(seen).toEqual([['ERR_TOKEN_STATE', 'GET', '/share/callback']])
  })

  it('in development, logs the detail to the console, or the message when there is none', async () => {
    const remote = createShareRemote({
      syncKey: generateSyncKey(),
      appUrl: APP_A,
      hostUrl: HOST,
      store: createMemoryStore(),
      development: true,
    })
    const warned: string[] = []
    const original = console.warn
    console.warn = (line: string) => void warned.push(line)
    try {
      await remote.handle(new Request(`${APP_A}/share/callback?token=abc`))
      await remote.handle(new Request(`${APP_A}/share/callback`, { method: 'POST' }))
    } finally {
      console.warn = original
    }
    expect(warned).toEqual([
      expect.stringMatching(/^\[share\] GET \/share\/callback: ERR_TOKEN_STATE: no state cookie: /),
      `[share] POST /share/callback: ERR_METHOD_NOT_ALLOWED: ${new ShareError('ERR_METHOD_NOT_ALLOWED').message}`,
    ])
  })
})
