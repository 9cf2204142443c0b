/** What one benchmark server process runs: sent by the bench as JSON in its argument. */
export type Setup =
  | { framework: Framework; kind: 'bare' }
  /** `noStore`: with a session, `Cache-Control: no-store`, as issue 11 asks of every session page. */
  | { framework: Framework; kind: 'minimal'; store: 'map' | 'redis'; noStore: boolean }
  | {
      framework: Framework
      kind: 'share'
      store: 'memory' | 'redis'
      guard: boolean
      /** Undefined: the default touch interval (60 s). */
      touchIntervalSec?: number
    }
  | { framework: 'hono'; kind: 'better-auth'; cookieCache: boolean; cookieCacheMaxAge: number }
  | { framework: 'hono'; kind: 'iron-session' }
  | { framework: 'express'; kind: 'express-session' }

export type Framework = 'hono' | 'express'

/** The line a server prints once it listens. */
export interface Ready {
  port: number
  /** The Cookie header of a signed-in request; null for the bare app. */
  cookie: string | null
  /** The body of a signed-in answer. */
  expected: string
}

/** Asked over IPC: the process's CPU time so far (µs, user + system). */
export interface CpuReply {
  cpuUs: number
}

export const USER_ID = 'bench'
export const USER = { name: 'Bench User', roles: ['member'] }
export const APP_URL = 'http://app-a.localhost:4001'
export const IDP_URL = 'http://idp.localhost:4000'
