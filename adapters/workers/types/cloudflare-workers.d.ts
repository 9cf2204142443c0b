// The one runtime module the Durable Object store imports. Apps get its real types from
// @cloudflare/workers-types; this package typechecks with the DOM library (see the README).
declare module 'cloudflare:workers' {
  export abstract class DurableObject {
    constructor(ctx: unknown, env: unknown)
    protected readonly ctx: unknown
    protected readonly env: unknown
  }
}
