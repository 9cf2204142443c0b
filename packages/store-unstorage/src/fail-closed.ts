import { isShareError, ShareError } from '@share/core'
import type { SessionStore } from '@share/core/store'

/**
 * Every method fails only with a ShareError: a driver error or timeout is
 * already `ERR_STORE_UNAVAILABLE` (see io.ts); anything else unexpected
 * becomes one too, so no raw error (which could quote a key) escapes.
 */
export function failClosed(store: SessionStore): SessionStore {
  const wrap =
    <A extends unknown[], R>(method: (...args: A) => Promise<R> | R) =>
    async (...args: A): Promise<R> => {
      try {
        return await method(...args)
      } catch (error) {
        if (isShareError(error)) throw error
        throw new ShareError('ERR_STORE_UNAVAILABLE', {
          cause: new Error('unstorage store failed'),
        })
      }
    }
  return {
    name: store.name,
    capabilities: store.capabilities,
    get: wrap(store.get),
    getWithParent: wrap(store.getWithParent),
    create: wrap(store.create),
    compareAndSet: wrap(store.compareAndSet),
    delete: wrap(store.delete),
    listUser: wrap(store.listUser),
    deleteUser: wrap(store.deleteUser),
    setIfAbsent: wrap(store.setIfAbsent),
    hasKey: wrap(store.hasKey),
    sweep: wrap(store.sweep),
  }
}
