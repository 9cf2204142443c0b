/**
 * @share/store-url: one function from a URL to a Share session store, for
 * apps, the demo and the `share` CLI alike. Node only (ioredis, the fs
 * driver). Accepted URLs:
 *
 * ```text
 * redis://[user:password@]host[:port][/db]       Redis (ioredis)
 * rediss://...                                   Redis over TLS
 * redis+cluster://[user:password@]h1:p1,h2:p2    Redis Cluster, from seed nodes
 * rediss+cluster://...                           Redis Cluster over TLS
 * upstash+https://host                           Upstash REST; token from UPSTASH_REDIS_REST_TOKEN
 * https://<name>.upstash.io                      the same, recognised by its host
 * fs:./dir  fs:dir  fs:/abs/dir  fs:///abs/dir   unstorage fs driver (no TTL: run `share sweep`)
 * memory:                                        an in-process memory store
 * ```
 *
 * @module
 */
export {
  ACCEPTED_SCHEMES,
  type OpenedStore,
  type StoreFromUrlOptions,
  type StoreKind,
  storeFromUrl,
} from './store-from-url.js'
