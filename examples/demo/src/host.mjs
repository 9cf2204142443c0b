// @ts-check
// The host (identity provider): Hono. Its own login form and a sessions page;
// @share/hono adds the hand-off, logout and session management.
import { getConnInfo } from '@hono/node-server/conninfo'
import { shareHost } from '@share/hono'
import { Hono } from 'hono'
import { escapeHtml, layout } from './layout.mjs'
import { checkCredentials } from './users.mjs'

const page = (/** @type {string} */ title, /** @type {string} */ body) =>
  layout({ app: 'Share demo · Host (idp.localhost)', colour: '#5e5ce6', title, body })

/**
 * @param {import('@share/core').ShareHost} host
 * @param {{ remotes: { name: string, url: string }[] }} links
 */
export function createHostApp(host, links) {
  const app = new Hono()
  app.use(shareHost(host))

  app.get('/', (c) => {
    const share = c.get('share')
    const who = share
      ? `Signed in as <strong>${escapeHtml(/** @type {any} */ (share.user)?.name ?? share.userId)}</strong>.`
      : 'Not signed in.'
    const apps = links.remotes
      .map((r) => `<a href="${escapeHtml(r.url)}">${escapeHtml(r.name)}</a>`)
      .join(' ')
    return c.html(
      page(
        'Home',
        `<div class="card"><p>${who}</p><nav>${apps} <a href="/sessions">Your sessions</a> ${share ? '' : '<a href="/login">Sign in</a>'}</nav></div>`,
      ),
    )
  })

  app.get('/login', (c) => c.html(loginPage(c.req.query('next') ?? '/')))

  app.post('/login', async (c) => {
    const form = await c.req.parseBody()
    const next = typeof form.next === 'string' ? form.next : '/'
    const user = checkCredentials(form.username, form.password)
    if (!user) return c.html(loginPage(next, 'Wrong username or password.'), 401)
    const clientIp = getConnInfo(c).remote.address
    return host.signIn(
      c.req.raw,
      { userId: user.id, user, rememberMe: form.remember === 'on', next },
      { clientIp },
    )
  })

  // The devices page is Share's own (sessionsPage: true): the host serves it at /sessions.
  return app
}

/** @param {string} next @param {string} [error] */
function loginPage(next, error) {
  return page(
    'Sign in',
    `<div class="card"><h1>Sign in</h1>${error ? `<p class="error">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/login"><input type="hidden" name="next" value="${escapeHtml(next)}">
<p><label>Username <input name="username" autocomplete="username" required></label></p>
<p><label>Password <input name="password" type="password" autocomplete="current-password" required></label></p>
<p><label><input type="checkbox" name="remember"> Remember me for 30 days</label></p>
<p><button>Sign in</button></p></form>
<p class="muted">Demo users: alice / alice and bob / bob.</p></div>`,
  )
}
