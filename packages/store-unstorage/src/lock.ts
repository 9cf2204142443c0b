import { userTag } from '@share/core/store'

/**
 * In-process read/write locks by name. unstorage offers no transactions, so
 * within one process the store serializes everything that reads and then
 * writes one user's items (and one nonce) here: concurrent calls in one
 * process never lose an index entry or let a nonce be won twice. Readers
 * share a lock, so parallel requests of one user still read in parallel,
 * but never see a record half-written (the fs driver truncates, then
 * writes). Other processes are not covered: see the README.
 *
 * Waiters are served in arrival order, so writers are not starved.
 */

/** Characters of `userTag(userId)` that start every engine-minted session id. */
const TAG_LENGTH = 6

/** The lock of one user's items: named by the user's tag. */
export const userLock = (userId: string) => `t:${userTag(userId)}`
/** The same lock, from a session id (it starts with its user's tag). */
export const idLock = (id: string) => `t:${id.slice(0, TAG_LENGTH)}`
/** The lock of one nonce, by its storage key. */
export const nonceLock = (key: string) => `n:${key}`

interface Waiter {
  readonly exclusive: boolean
  readonly grant: () => void
}

interface LockState {
  readers: number
  writer: boolean
  readonly queue: Waiter[]
}

export interface Locks {
  /**
   * Runs `task` holding every named lock, shared or exclusive. Names are
   * taken in sorted order, so two callers never wait on each other in a
   * cycle. Not reentrant: `task` must not lock a name it already holds.
   */
  run<T>(names: readonly string[], exclusive: boolean, task: () => Promise<T>): Promise<T>
}

export function createLocks(): Locks {
  const states = new Map<string, LockState>()

  const canEnter = (state: LockState, exclusive: boolean) =>
    exclusive ? !state.writer && state.readers === 0 : !state.writer

  const enter = (state: LockState, exclusive: boolean) => {
    if (exclusive) state.writer = true
    else state.readers++
  }

  function acquire(name: string, exclusive: boolean): Promise<void> | undefined {
    let state = states.get(name)
    if (state === undefined) {
      state = { readers: 0, writer: false, queue: [] }
      states.set(name, state)
    }
    if (state.queue.length === 0 && canEnter(state, exclusive)) {
      enter(state, exclusive)
      return undefined
    }
    const waiting = state
    return new Promise((resolve) => waiting.queue.push({ exclusive, grant: resolve }))
  }

  function release(name: string, exclusive: boolean): void {
    const state = states.get(name)
    if (state === undefined) return
    if (exclusive) state.writer = false
    else state.readers--
    // Wake waiters in order while they fit: a run of readers, or one writer.
    let next = state.queue[0]
    while (next !== undefined && canEnter(state, next.exclusive)) {
      state.queue.shift()
      enter(state, next.exclusive)
      next.grant()
      next = state.queue[0]
    }
    if (!state.writer && state.readers === 0 && state.queue.length === 0) states.delete(name)
  }

  return {
    async run(names, exclusive, task) {
      const sorted = [...new Set(names)].sort()
      const held: string[] = []
      try {
        for (const name of sorted) {
          const waiting = acquire(name, exclusive)
          if (waiting) await waiting
          held.push(name)
        }
        return await task()
      } finally {
        for (const name of held.reverse()) release(name, exclusive)
      }
    },
  }
}
