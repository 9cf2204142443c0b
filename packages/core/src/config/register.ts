import type { JsonValue } from '../session/record.js'

/**
 * Register your app's user type once, and every session read (`c.var.share`,
 * `req.share`, `getSession()`) is typed with it, no cast:
 *
 * ```ts
 * declare module '@share/core' {
 *   interface Register {
 *     user: { id: string; name: string; roles: string[] }
 *   }
 * }
 * ```
 *
 * The user is what the host passes to `signIn` and stores as JSON, so it must
 * be JSON data (at most 8 KiB). Without a registration it is `JsonValue`.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by the app through declaration merging
export interface Register {}

/** The user type of this app: `Register['user']`, or `JsonValue` when none is registered. */
export type ShareUser = Register extends { user: infer User } ? User : JsonValue
