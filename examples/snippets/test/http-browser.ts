import { request as httpRequest } from 'node:http'

/**
 * A browser over real HTTP for *.localhost origins: connects to 127.0.0.1 with the origin's
 * Host header (Node cannot resolve *.localhost), keeps a cookie jar per origin, follows
 * redirects by hand and says each hop.
 */
export class HttpBrowser {
  readonly jars = new Map<string, Map<string, string>>()

  async fetch(
    url: string,
    init: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {},
  ) {
    const target = new URL(url)
    const jar = this.jars.get(target.origin) ?? new Map<string, string>()
    this.jars.set(target.origin, jar)
    const body = init.form ? new URLSearchParams(init.form).toString() : undefined
    const headers: Record<string, string> = { ...init.headers, host: target.host }
    if (jar.size > 0) headers.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ')
    if (body !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded'
      headers.origin = target.origin
    }
    const response = await new Promise<{ status: number; headers: Headers; text: string }>(
      (resolve, reject) => {
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port: target.port,
            path: target.pathname + target.search,
            method: init.method ?? (body ? 'POST' : 'GET'),
            headers,
          },
          (res) => {
            let text = ''
            res.setEncoding('utf8')
            res.on('data', (chunk) => {
              text += chunk
            })
            res.on('end', () => {
              const out = new Headers()
              for (const [name, value] of Object.entries(res.headers)) {
                for (const one of Array.isArray(value) ? value : [value ?? ''])
                  out.append(name, one)
              }
              resolve({ status: res.statusCode ?? 0, headers: out, text })
            })
          },
        )
        req.on('error', reject)
        req.end(body)
      },
    )
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(';')[0] ?? ''
      const name = pair.slice(0, pair.indexOf('='))
      if (/Max-Age=0\b/i.test(line)) jar.delete(name)
      else jar.set(name, pair.slice(pair.indexOf('=') + 1))
    }
    return response
  }

  /** Follows redirects like a browser (a 303 turns the next request into a GET). */
  async navigate(url: string, init: { form?: Record<string, string> } = {}) {
    let current = url
    let response = await this.fetch(current, init)
    const hops: string[] = []
    while (response.status >= 300 && response.status < 400) {
      current = new URL(response.headers.get('location')!, current).href
      hops.push(current)
      if (hops.length > 10) throw new Error(`redirect loop: ${hops.join(' → ')}`)
      response = await this.fetch(current)
    }
    return { ...response, url: current, hops }
  }
}
