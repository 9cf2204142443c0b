// @ts-check
// One virtual user: its own account and cookie jars (one per app, as a browser
// keeps them), what it believes it is signed in to, and the three kinds of
// operation. Every answer is checked: a page must name this user, a session
// it holds must still be there, a session it ended must be refused.
import { CookieJar } from './cookie-jar.mjs'
import { loadAccount } from './load-users.mjs'

/**
 * @typedef {import('./http-client.mjs').App} App
 * @typedef {import('./http-client.mjs').Answer} Answer
 * @typedef {ReturnType<import('./http-client.mjs').createClient>} Client
 * @typedef {ReturnType<import('./stats.mjs').createStats>} Stats
 * @typedef {'logout-app' | 'logout-everywhere' | 'revoke-at-host'} LogoutKind
 */

const USER_ON_PAGE = /<strong id="user">([^<]*)<\/strong>/
export const LOGOUT_KINDS = /** @type {const} */ ([
  'logout-app',
  'logout-everywhere',
  'revoke-at-host',
])

/** What a signed-in user must see while the store is down: Share's fixed 503 page. */
export function isStoreDownPage(/** @type {Answer} */ answer) {
  if (answer.status !== 503) return false
  // The page, or its JSON form for a client that asked for JSON.
  return (
    answer.body.includes('<code>ERR_STORE_UNAVAILABLE</code>') ||
    answer.body.includes('"code":"ERR_STORE_UNAVAILABLE"')
  )
}

export class VirtualUser {
  /** @param {number} n @param {{ client: Client, host: App, remotes: App[], stats: Stats }} context */
  constructor(n, context) {
    this.account = loadAccount(n)
    this.userId = this.account.username
    this.context = context
    /** @type {Map<string, CookieJar>} */
    this.jars = new Map(
      [context.host, ...context.remotes].map((app) => [app.name, new CookieJar()]),
    )
    /** Remotes this user holds a live session at, as far as it knows. */
    this.signedInAt = new Set()
    this.hostSignedIn = false
    /** A logout failed half-way: whether its sessions ended is unknown until the next sign-in. */
    this.uncertain = false
  }

  /** @param {App} app @param {'GET' | 'POST'} method @param {string} path @param {{ form?: Record<string, string>, accept?: string, cookie?: string | undefined }} [options] */
  async send(app, method, path, options = {}) {
    const jar = this.#jar(app)
    const cookie = 'cookie' in options ? options.cookie : jar.header()
    const answer = await this.context.client.send(app, method, path, { ...options, cookie })
    jar.store(answer.setCookie)
    return answer
  }

  /** @param {App} app */
  #jar(app) {
    const jar = this.jars.get(app.name)
    if (!jar) throw new Error(`no jar for ${app.name}`)
    return jar
  }

  /** @param {string} type @param {string} what @param {Answer} answer */
  #problem(type, what, answer) {
    this.context.stats.problem(
      type,
      `${this.userId}: ${what} → ${answer.status || 'network error'}`,
    )
    return false
  }

  /** Who a page says is signed in (null for a page without a user). @param {Answer} answer */
  static userOn(answer) {
    return USER_ON_PAGE.exec(answer.body)?.[1] ?? null
  }

  /** A page at a remote where this user holds a session. @param {App} remote */
  async read(remote) {
    const answer = await this.send(remote, 'GET', '/')
    return this.#checkPage(remote, answer, 'read')
  }

  /** @param {App} remote @param {Answer} answer @param {string} step */
  #checkPage(remote, answer, step) {
    if (answer.status === 200) {
      const shown = VirtualUser.userOn(answer)
      if (shown === this.userId) return true
      return this.#problem('wrong user', `${step} ${remote.name} / named ${shown}`, answer)
    }
    if (answer.status === 302 && this.#isAuthorizeRedirect(answer)) {
      this.signedInAt.delete(remote.name)
      return this.#problem('lost session', `${step} ${remote.name} / sent to sign in`, answer)
    }
    return this.#problem(unexpected(answer), `${step} ${remote.name} /`, answer)
  }

  /** @param {Answer} answer */
  #isAuthorizeRedirect(answer) {
    return (answer.location ?? '').startsWith(`${this.context.host.origin}/share/authorize?`)
  }

  /**
   * The full sign-in at a remote: its redirect to the host, the host's
   * authorize (with the login form first when the host has no session for
   * this user), the token back to the remote's callback, then the page.
   * @param {App} remote
   */
  async signIn(remote) {
    const host = this.context.host
    const start = await this.send(remote, 'GET', '/')
    if (start.status === 200 && this.uncertain) return this.#settled(remote, start)
    if (start.status !== 302 || !this.#isAuthorizeRedirect(start)) {
      if (start.status === 200)
        return this.#problem('ended session still served', `sign-in ${remote.name} /`, start)
      return this.#problem(unexpected(start), `sign-in ${remote.name} /`, start)
    }
    const authorizePath = pathOf(start.location ?? '', remote.origin)
    let answer = await this.send(host, 'GET', authorizePath)
    if (answer.status === 303 && (answer.location ?? '').startsWith('/login?')) {
      if (this.hostSignedIn && !this.uncertain) {
        this.#problem(
          'lost session',
          `sign-in: the host asked ${this.userId} to log in again`,
          answer,
        )
      }
      this.hostSignedIn = false
      const form = await this.send(host, 'GET', answer.location ?? '')
      if (form.status !== 200) return this.#problem(unexpected(form), 'sign-in: login page', form)
      const next = new URL(answer.location ?? '', host.origin).searchParams.get('next') ?? '/'
      const posted = await this.send(host, 'POST', '/login', {
        form: { username: this.account.username, password: this.account.password, next },
      })
      if (posted.status !== 303)
        return this.#problem(unexpected(posted), 'sign-in: POST /login', posted)
      this.hostSignedIn = true
      answer = await this.send(host, 'GET', pathOf(posted.location ?? '', host.origin))
    }
    if (
      answer.status !== 303 ||
      !(answer.location ?? '').startsWith(`${remote.origin}/share/callback?`)
    ) {
      return this.#problem(unexpected(answer), 'sign-in: authorize', answer)
    }
    const redeemed = await this.send(remote, 'GET', pathOf(answer.location ?? '', remote.origin))
    if (redeemed.status !== 303)
      return this.#problem(unexpected(redeemed), `sign-in: ${remote.name} callback`, redeemed)
    const page = await this.send(remote, 'GET', pathOf(redeemed.location ?? '/', remote.origin))
    return this.#settled(remote, page)
  }

  /**
   * The page that ends a sign-in. The session exists from here on, even when
   * this page fails (the store went away in between): the user holds it.
   * @param {App} remote @param {Answer} page
   */
  #settled(remote, page) {
    this.signedInAt.add(remote.name)
    if (this.signedInAt.size === this.context.remotes.length) this.uncertain = false
    return this.#checkPage(remote, page, 'sign-in')
  }

  /**
   * Ends sessions one of three ways, then checks with the old cookies that
   * what was ended is refused. The time returned is the logout's own.
   * @param {LogoutKind} kind @param {App} remote where a remote's button is used
   * @returns {Promise<{ ok: boolean, ms: number }>}
   */
  async logout(kind, remote) {
    const old = new Map([...this.jars].map(([name, jar]) => [name, jar.header()]))
    const started = performance.now()
    const ok = await this.#endSessions(kind, remote)
    const ms = performance.now() - started
    if (!ok) {
      this.uncertain = true
      this.signedInAt.clear()
      return { ok, ms }
    }
    const ended = kind === 'logout-app' ? [remote] : this.context.remotes
    for (const app of ended) {
      this.signedInAt.delete(app.name)
      const probe = await this.send(app, 'GET', '/', { cookie: old.get(app.name) })
      if (probe.status === 200)
        this.#problem('ended session still served', `${kind} then ${app.name} /`, probe)
      else if (probe.status !== 302)
        this.#problem(unexpected(probe), `${kind} then ${app.name} /`, probe)
    }
    if (kind !== 'logout-app') this.hostSignedIn = false
    return { ok, ms }
  }

  /** @param {LogoutKind} kind @param {App} remote */
  async #endSessions(kind, remote) {
    if (kind !== 'revoke-at-host') {
      const form = kind === 'logout-everywhere' ? { everywhere: '1' } : {}
      const answer = await this.send(remote, 'POST', '/share/logout', { form })
      return (
        answer.status === 303 ||
        this.#problem(unexpected(answer), `${kind} at ${remote.name}`, answer)
      )
    }
    const host = this.context.host
    const list = await this.send(host, 'GET', '/sessions', { accept: 'application/json' })
    if (list.status !== 200)
      return this.#problem(unexpected(list), 'revoke: the sessions list', list)
    /** @type {{ userId?: string, sessions?: { handle: string, current: boolean }[] }} */
    const listed = JSON.parse(list.body)
    if (listed.userId !== this.userId)
      return this.#problem('wrong user', `revoke: sessions of ${listed.userId}`, list)
    const handle = listed.sessions?.find((session) => session.current)?.handle
    if (!handle) return this.#problem('lost session', 'revoke: this device is not listed', list)
    const answer = await this.send(host, 'POST', '/share/sessions/revoke', { form: { handle } })
    return answer.status === 303 || this.#problem(unexpected(answer), 'revoke at the host', answer)
  }
}

/** The path and query of a Location (absolute or relative). @param {string} location @param {string} base */
function pathOf(location, base) {
  const url = new URL(location, base)
  return url.pathname + url.search
}

/** A problem's name for an answer no step expects: its status class. @param {Answer} answer */
function unexpected(answer) {
  if (answer.status === 0) return 'network error or timeout'
  if (isStoreDownPage(answer)) return '503 store unavailable'
  return `unexpected ${answer.status}`
}
