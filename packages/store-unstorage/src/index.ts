/**
 * @share/store-unstorage: Share's session store on any unstorage driver
 * (memory, fs, redis, Cloudflare KV, ...). Runs wherever unstorage does,
 * edge runtimes included. Not atomic across processes: see the README.
 *
 * @module
 */
export type { StorageLike } from './io.js'
export type { UnstorageStoreOptions } from './options.js'
export { unstorageStore } from './store.js'
