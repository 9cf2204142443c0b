/** A browser's cookie jar per origin over Worker fetch functions, redirects followed by hand. */
export class Jar {
  private readonly jars = new Map<string, Map<string, string>>()
  constructor(private readonly apps: Record<string, (request: Request) => Promise<Response>>) {}

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const target = new URL(url)
    const app = this.apps[target.origin]
    if (!app) throw new Error(`no app at ${target.origin}`)
    const jar = this.jars.get(target.origin) ?? new Map<string, string>()
    this.jars.set(target.origin, jar)
    const headers = new Headers(init.headers)
    if (jar.size > 0) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '))
    const response = await app(new Request(target, { ...init, headers, redirect: 'manual' }))
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(';')[0] ?? ''
      const name = pair.slice(0, pair.indexOf('='))
      if (/Max-Age=0\b/.test(line)) jar.delete(name)
      else jar.set(name, pair.slice(pair.indexOf('=') + 1))
    }
    return response
  }

  async navigate(
    url: string,
    init: RequestInit = {},
  ): Promise<{ response: Response; url: string }> {
    let response = await this.fetch(url, init)
    let current = url
    for (let hops = 0; response.status >= 300 && response.status < 400; hops++) {
      if (hops > 10) throw new Error('redirect loop')
      current = new URL(response.headers.get('location') ?? '', current).href
      response = await this.fetch(current)
    }
    return { response, url: current }
  }

  cookie(origin: string, name: string): string | undefined {
    return this.jars.get(origin)?.get(name)
  }

  setCookie(origin: string, name: string, value: string): void {
    const jar = this.jars.get(origin) ?? new Map<string, string>()
    jar.set(name, value)
    this.jars.set(origin, jar)
  }
}

export const form = (body: string, origin: string): RequestInit => ({
  method: 'POST',
  headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
  body,
})
