// @ts-check
// HTTP to the apps over keep-alive connections (undici pools). The apps listen
// on 127.0.0.1 and are named by *.localhost hosts, which Node does not resolve:
// each request connects to 127.0.0.1 and sends the Host header of its app.
import { Pool } from 'undici'

/**
 * @typedef {{ name: string, origin: string, port: number }} App
 * @typedef {{ status: number, location: string | undefined, setCookie: string | string[] | undefined,
 *   body: string, ms: number }} Answer
 */

const TIMEOUT_MS = 10_000

/** @param {App[]} apps @param {number} connections per app */
export function createClient(apps, connections) {
  /** @type {Map<string, Pool>} */
  const pools = new Map(
    apps.map((app) => [
      app.name,
      new Pool(`http://127.0.0.1:${app.port}`, {
        connections,
        headersTimeout: TIMEOUT_MS,
        bodyTimeout: TIMEOUT_MS,
      }),
    ]),
  )
  /** @type {(answer: Answer) => void} */
  let onAnswer = () => {}

  /**
   * One request; a network error or timeout is an answer with status 0.
   * @param {App} app @param {'GET' | 'POST'} method @param {string} path
   * @param {{ cookie?: string | undefined, form?: Record<string, string>, accept?: string }} [options]
   * @returns {Promise<Answer>}
   */
  async function send(app, method, path, options = {}) {
    const pool = pools.get(app.name)
    if (!pool) throw new Error(`no pool for ${app.name}`)
    /** @type {Record<string, string>} */
    const headers = { host: new URL(app.origin).host, accept: options.accept ?? 'text/html' }
    if (options.cookie) headers.cookie = options.cookie
    /** @type {string | null} */
    let body = null
    if (options.form) {
      body = new URLSearchParams(options.form).toString()
      headers['content-type'] = 'application/x-www-form-urlencoded'
      // The apps refuse a state-changing POST from another origin: a browser sends its own.
      headers.origin = app.origin
    }
    const started = performance.now()
    let answer
    try {
      const response = await pool.request({ method, path, headers, body })
      const text = await response.body.text()
      const location = response.headers.location
      answer = {
        status: response.statusCode,
        location: Array.isArray(location) ? location[0] : location,
        setCookie: response.headers['set-cookie'],
        body: text,
        ms: performance.now() - started,
      }
    } catch {
      answer = {
        status: 0,
        location: undefined,
        setCookie: undefined,
        body: '',
        ms: performance.now() - started,
      }
    }
    onAnswer(answer)
    return answer
  }

  return {
    send,
    /** Called with every answer (the run's request counters). @param {(answer: Answer) => void} listener */
    onAnswer(listener) {
      onAnswer = listener
    },
    async close() {
      await Promise.all([...pools.values()].map((pool) => pool.close()))
    },
  }
}
