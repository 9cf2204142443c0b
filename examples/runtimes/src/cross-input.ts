/** The session and state of the cross-runtime seal-and-open check (test values, not secrets). */
export const CROSS_INPUT = { sessionId: 'cross-runtime-session', state: 'cross-runtime-state' }
