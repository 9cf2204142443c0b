import { request as httpRequest, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { type Fetch, REMOTE_ORIGIN, runAdapterScenarios, signedInRemote } from '@share/test-utils'
import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { shareRemote } from '../src/index.js'
import { buildHonoApps } from './apps.js'

/**
 * The same apps on @hono/node-server, through real sockets: there the
 * adapter puts plain headers straight onto Node's response (its fast path),
 * so the scenarios must hold on it as they do through `app.fetch`.
 */

/** Serves a Hono app on a loopback port; `fetch` sends a Request there with its own Host. */
async function serveApp(app: Hono): Promise<{ fetch: Fetch; close(): Promise<void> }> {
  const server = await new Promise<Server>((resolve) => {
    const started = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
      resolve(started as Server),
    ) as Server
  })
  const { port } = server.address() as AddressInfo
  return {
    // node:http rather than fetch: fetch would replace the Host the handler builds its URL from.
    fetch: async (request) => {
      const url = new URL(request.url)
      const body = ['GET', 'HEAD'].includes(request.method)
        ? undefined
        : Buffer.from(await request.arrayBuffer())
      const headers: Record<string, string> = { host: url.host }
      request.headers.forEach((value, name) => {
        headers[name] = value
      })
      return new Promise<Response>((resolve, reject) => {
        const outgoing = httpRequest(
          {
            host: '127.0.0.1',
            port,
            method: request.method,
            path: url.pathname + url.search,
            headers,
          },
          (incoming) => {
            const chunks: Buffer[] = []
            incoming.on('data', (chunk: Buffer) => chunks.push(chunk))
            incoming.on('end', () => {
              const responseHeaders = new Headers()
              const raw = incoming.rawHeaders
              for (let i = 0; i < raw.length; i += 2) responseHeaders.append(raw[i]!, raw[i + 1]!)
              const status = incoming.statusCode ?? 500
              const empty = status === 204 || status === 304 || request.method === 'HEAD'
              resolve(
                new Response(empty ? null : Buffer.concat(chunks), {
                  status,
                  headers: responseHeaders,
                }),
              )
            })
          },
        )
        outgoing.on('error', reject)
        outgoing.end(body)
      })
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

runAdapterScenarios(
  'hono on @hono/node-server',
  async (handlers) => {
    const { hostApp, remoteApp } = buildHonoApps(handlers)
    const [remote, host] = await Promise.all([serveApp(remoteApp), serveApp(hostApp)])
    return {
      remote: remote.fetch,
      host: host.fetch,
      close: async () => {
        await Promise.all([remote.close(), host.close()])
      },
    }
  },
  { guards: true },
)

describe('headers on @hono/node-server', () => {
  let served: Awaited<ReturnType<typeof serveApp>>
  let cookie: string
  let app: Hono

  beforeAll(async () => {
    const signedIn = await signedInRemote()
    const { remote } = signedIn
    cookie = signedIn.cookie
    app = new Hono()
    app.use(shareRemote(remote))
    app.get('/', (c) => c.text(`hello ${c.get('share')?.userId}`))
    app.get('/cached', (c) => c.text('mine', 200, { 'Cache-Control': 'private, max-age=5' }))
    app.get('/raw', () => new Response('raw'))
    app.get('/own-cookie', (c) => {
      c.header('Set-Cookie', 'theme=dark; Path=/', { append: true })
      return c.text('mine')
    })
    served = await serveApp(app)
  })
  afterAll(() => served?.close())

  const get = (path: string, headers: Record<string, string> = {}) =>
    served.fetch(new Request(`${REMOTE_ORIGIN}${path}`, { headers }))

  it('marks a signed-in page no-store, on a c.text page and on a raw Response', async () => {
    for (const path of ['/', '/raw']) {
      const response = await get(path, { cookie })
      expect(response.status).toBe(200)
      expect(response.headers.get('cache-control')).toBe('no-store')
    }
    expect((await get('/', { cookie })).headers.get('content-type')).toMatch(/^text\/plain/)
  })

  it("keeps the handler's own Cache-Control, as Express does", async () => {
    const response = await get('/cached', { cookie })
    expect(response.headers.get('cache-control')).toBe('private, max-age=5')
  })

  it("keeps the handler's own Cache-Control through app.fetch too (Bun, Deno, Workers)", async () => {
    const own = await app.fetch(new Request(`${REMOTE_ORIGIN}/cached`, { headers: { cookie } }))
    expect(own.headers.get('cache-control')).toBe('private, max-age=5')
    const plain = await app.fetch(new Request(`${REMOTE_ORIGIN}/`, { headers: { cookie } }))
    expect(plain.headers.get('cache-control')).toBe('no-store')
  })

  it('adds a cookie to clear beside the no-store (the after-the-handler path)', async () => {
    const response = await get('/', { cookie: `${cookie}; share_loop=1` })
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(response.headers.getSetCookie().some((c) => c.startsWith('share_loop=;'))).toBe(true)
    expect(await response.text()).toBe('hello alice')
  })

  it('sends no Cache-Control on an anonymous page and clears a cookie that names no session', async () => {
    const anonymous = await get('/')
    expect(anonymous.headers.get('cache-control')).toBeNull()
    const stale = await get('/', { cookie: 'share_session=nothing-of-ours' })
    expect(stale.headers.getSetCookie().some((c) => c.startsWith('share_session=;'))).toBe(true)
  })

  it("keeps both cookies when the handler sets its own beside Share's cleared one", async () => {
    const stale = { cookie: 'share_session=nothing-of-ours' }
    const viaNode = await get('/own-cookie', stale)
    const viaFetch = await app.fetch(new Request(`${REMOTE_ORIGIN}/own-cookie`, { headers: stale }))
    for (const response of [viaNode, viaFetch]) {
      const cookies = response.headers.getSetCookie()
      expect(cookies).toContain('theme=dark; Path=/')
      expect(cookies.some((c) => c.startsWith('share_session=;'))).toBe(true)
    }
  })
})
