// unstorage's redis driver expires keys itself: say so, and sweeping is not needed.
import { unstorageStore } from '@share/store-unstorage'
import { createStorage } from 'unstorage'
import redisDriver from 'unstorage/drivers/redis'

const storage = createStorage({
  driver: redisDriver({
    url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    lazyConnect: true,
  }),
})
export const store = unstorageStore({ storage, nativeTtl: true })
export { storage }
