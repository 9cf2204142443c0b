// The few workerd test APIs these tests use. The tests typecheck with the DOM library, as every
// package does: the workspace's sources (core, the stores) do not typecheck against
// @cloudflare/workers-types (its HkdfParams, Uint8Array and setTimeout types differ).

/** What vitest.config.ts binds for the test Worker: a type alias, so `fromEnv` accepts it. */
type TestEnv = {
  UPSTASH_URL: string
  UPSTASH_TOKEN: string
  STORE_PREFIX: string
  PEER_URL: string
  /** A Workers KV namespace (Miniflare's local KV). */
  SESSIONS_KV: unknown
  /** The ShareSessions Durable Object (test/do-worker.ts). */
  SHARE_SESSIONS: import('../src/durable-object.js').DurableObjectNamespaceLike
}

interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void
  passThroughOnException(): void
}

declare module 'cloudflare:workers' {
  export const env: TestEnv
}

declare module 'cloudflare:test' {
  export function createExecutionContext(): ExecutionContext
  export function waitOnExecutionContext(ctx: ExecutionContext): Promise<void>
}
