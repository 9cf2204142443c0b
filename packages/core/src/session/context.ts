import type { EngineConfig } from '../config/read.js'
import { createRandomPool, type RandomSource } from '../encoding/bytes.js'
import { storeUnavailable } from '../errors.js'
import type { SessionEvent } from './events.js'

/** What every part of the engine works with: its config, its events, its randomness. */
export interface EngineContext {
  readonly config: EngineConfig
  readonly emit: (event: SessionEvent) => void
  /** This engine's own random pool (ids, handles, back-off). */
  readonly random: RandomSource
}

export function createEngineContext(config: EngineConfig): EngineContext {
  const hook = config.onEvent
  const emit = hook
    ? (event: SessionEvent) => {
        try {
          hook(event)
        } catch {
          // An audit hook must never break sign-in.
        }
      }
    : () => {}
  return { config, emit, random: createRandomPool() }
}

/** Runs a store call; anything but a ShareError becomes ERR_STORE_UNAVAILABLE (503, fail closed). */
export async function call<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation()
  } catch (error) {
    throw storeUnavailable(error)
  }
}
