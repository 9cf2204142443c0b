import { createShareRemote, fromEnv } from '@share/core'
import { upstashStore } from '@share/store-upstash'
import { requireSession, withShare } from '@share/workers'

/** The Worker's bindings: vars in wrangler.jsonc, secrets with `wrangler secret put`. */
type Env = {
  SHARE_SYNC_KEY: string // secret: the host's sync key
  SHARE_APP_URL: string // this Worker's public origin
  SHARE_HOST_URL: string // the host's origin
  UPSTASH_REDIS_REST_URL: string
  UPSTASH_REDIS_REST_TOKEN: string // secret
  SHARE_STORE_PREFIX?: string // the host's key prefix, if not the default `share:`
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

const page = requireSession<Env>((_request, env, _ctx, { session }) => {
  const user = session?.user as { name?: string } | null
  const name = escapeHtml(user?.name ?? session?.userId ?? '')
  const logout = (label: string, everywhere: string) =>
    `<form method="post" action="/share/logout">${everywhere}<button>${label}</button></form>`
  return new Response(
    `<!doctype html><title>Workers remote</title><h1>Hello, ${name}</h1>
<p>Signed in as <span id="user">${escapeHtml(session?.userId ?? '')}</span>
at <a href="${escapeHtml(env.SHARE_HOST_URL)}/sessions">the host</a>.</p>
${logout('Log out', '')}${logout('Log out everywhere', '<input type="hidden" name="everywhere" value="1">')}`,
    { headers: { 'content-type': 'text/html; charset=utf-8' } },
  )
})

export default {
  fetch: withShare(page, (env: Env) =>
    createShareRemote({
      ...fromEnv(env, 'remote'),
      store: upstashStore({
        url: env.UPSTASH_REDIS_REST_URL,
        token: env.UPSTASH_REDIS_REST_TOKEN,
        ...(env.SHARE_STORE_PREFIX ? { prefix: env.SHARE_STORE_PREFIX } : {}),
      }),
      // The audit log: one JSON line per event on the console (no token, session id or cookie).
      logger: { info: (entry) => console.log(JSON.stringify(entry)) },
    }),
  ),
}
