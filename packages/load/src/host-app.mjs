// @ts-check
// The demo's host app with the virtual users' accounts in front of its login
// form: POST /login checks them (then the demo's own users) and signs in with
// Share exactly as the demo's handler does; every other request is the demo's.
import { createHostApp } from '@share/example-demo/src/host.mjs'
import { checkLoadCredentials } from './load-users.mjs'

/**
 * @param {import('@share/core').ShareHost} host
 * @param {{ remotes: { name: string, url: string }[] }} links
 * @returns {(request: Request, env: any) => Response | Promise<Response>}
 */
export function createLoadHostFetch(host, links) {
  const demo = createHostApp(host, links)
  return async (request, env) => {
    if (request.method !== 'POST' || new URL(request.url).pathname !== '/login') {
      return demo.fetch(request, env)
    }
    const form = await request.formData()
    const next = form.get('next')
    const user = checkLoadCredentials(form.get('username'), form.get('password'))
    if (!user) return new Response('Wrong username or password.', { status: 401 })
    const clientIp = env?.incoming?.socket?.remoteAddress ?? null
    return host.signIn(
      request,
      { userId: user.id, user, rememberMe: false, next: typeof next === 'string' ? next : '/' },
      { clientIp },
    )
  }
}
