// @ts-check
// Starts the host and the two remotes, each in its own Node process, and
// samples their memory and CPU over IPC. Their output goes to a log file per
// app, so an error they print can be read after the run.
import { fork } from 'node:child_process'
import { openSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const APP_PROCESS = fileURLToPath(new URL('./app-process.mjs', import.meta.url))
export const ROLES = /** @type {const} */ (['host', 'a', 'b'])
const NAMES = { host: 'host', a: 'app-a', b: 'app-b' }

/**
 * @typedef {{ rss: number, heapUsed: number, external: number, cpu: { user: number, system: number } }} Memory
 * @typedef {import('./http-client.mjs').App} App
 */

/**
 * @param {{ storeUrl: string, prefix: string, syncKey: string, ports: { host: number, a: number, b: number }, logDir: string }} options
 */
export async function startApps(options) {
  const urls = {
    host: `http://idp.localhost:${options.ports.host}`,
    a: `http://app-a.localhost:${options.ports.a}`,
    b: `http://app-b.localhost:${options.ports.b}`,
  }
  const config = JSON.stringify({ ...options, urls })
  /** @type {string[]} */
  const exits = []
  const children = ROLES.map((role) => {
    const log = openSync(join(options.logDir, `${NAMES[role]}.log`), 'a')
    const child = fork(APP_PROCESS, [role], {
      execArgv: ['--expose-gc'],
      env: { ...process.env, SHARE_LOAD_CONFIG: config, NODE_ENV: 'production' },
      stdio: ['ignore', log, log, 'ipc'],
    })
    child.once('exit', (code, signal) => exits.push(`${NAMES[role]} exited (${signal ?? code})`))
    return child
  })
  await Promise.all(children.map((child, index) => readyOf(child, ROLES[index] ?? '')))

  let nextId = 0
  /** @param {import('node:child_process').ChildProcess} child @returns {Promise<Memory | null>} */
  const sampleOne = (child) =>
    new Promise((resolve) => {
      const id = nextId++
      const timer = setTimeout(() => done(null), 5000)
      const onMessage = (/** @type {any} */ message) => {
        if (message?.type === 'memory' && message.id === id) done(message)
      }
      const done = (/** @type {any} */ value) => {
        clearTimeout(timer)
        child.off('message', onMessage)
        resolve(
          value && {
            rss: value.rss,
            heapUsed: value.heapUsed,
            external: value.external,
            cpu: value.cpu,
          },
        )
      }
      child.on('message', onMessage)
      if (!child.connected) done(null)
      else child.send({ type: 'memory', id })
    })

  /** @type {App[]} */
  const apps = [
    { name: 'host', origin: urls.host, port: options.ports.host },
    { name: 'app-a', origin: urls.a, port: options.ports.a },
    { name: 'app-b', origin: urls.b, port: options.ports.b },
  ]
  return {
    apps,
    names: ROLES.map((role) => NAMES[role]),
    /** Process exits seen so far (none is expected before stop). */
    exits,
    /** Each app's memory now, by name (null when it did not answer). */
    async sample() {
      const values = await Promise.all(children.map(sampleOne))
      return Object.fromEntries(ROLES.map((role, index) => [NAMES[role], values[index] ?? null]))
    },
    async stop() {
      await Promise.all(
        children.map(
          (child) =>
            new Promise((resolve) => {
              if (child.exitCode !== null || child.signalCode !== null) return resolve(undefined)
              child.once('exit', () => resolve(undefined))
              child.kill('SIGTERM')
            }),
        ),
      )
    },
  }
}

/** @param {import('node:child_process').ChildProcess} child @param {string} role */
function readyOf(child, role) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the ${role} app did not start in 30 s`)),
      30_000,
    )
    child.on('message', (/** @type {any} */ message) => {
      if (message?.type === 'ready') {
        clearTimeout(timer)
        resolve(undefined)
      } else if (message?.type === 'failed') {
        clearTimeout(timer)
        reject(new Error(`the ${role} app could not start: ${message.message}`))
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`the ${role} app exited during start-up (${code})`))
    })
  })
}
