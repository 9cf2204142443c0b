// @ts-check
// One virtual user's cookies for one app (host-only cookies: one jar per host
// name, as a browser keeps them). Only what the demo's apps set: name=value,
// Max-Age, Expires; Path is always / there.

export class CookieJar {
  /** @type {Map<string, string>} */
  #cookies = new Map()

  /** Applies every `Set-Cookie` of a response (a string or a list). @param {string | string[] | undefined} setCookie */
  store(setCookie) {
    if (setCookie === undefined) return
    for (const line of Array.isArray(setCookie) ? setCookie : [setCookie]) this.#apply(line)
  }

  /** @param {string} line */
  #apply(line) {
    const [pair = '', ...attributes] = line.split(';')
    const equals = pair.indexOf('=')
    if (equals <= 0) return
    const name = pair.slice(0, equals).trim()
    const value = pair.slice(equals + 1).trim()
    if (value === '' || attributes.some(isExpiry)) this.#cookies.delete(name)
    else this.#cookies.set(name, value)
  }

  /** The `Cookie` header to send, or undefined when the jar is empty. */
  header() {
    if (this.#cookies.size === 0) return undefined
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  }

  /** @param {string} name */
  has(name) {
    return this.#cookies.has(name)
  }

  clear() {
    this.#cookies.clear()
  }
}

/** `Max-Age=0` (or negative) or an `Expires` in the past: the cookie is deleted. @param {string} attribute */
function isExpiry(attribute) {
  const [key = '', value = ''] = attribute.trim().split('=', 2)
  const name = key.toLowerCase()
  if (name === 'max-age') return Number(value) <= 0
  if (name === 'expires') return Date.parse(value) <= Date.now()
  return false
}
