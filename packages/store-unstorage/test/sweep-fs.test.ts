import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { createClock, makeRecord } from '@share/store-testkit'
import { createStorage } from 'unstorage'
import fsDriver from 'unstorage/drivers/fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { unstorageStore } from '../src/index.js'
import { keyPart } from '../src/keys.js'
import { tempDir } from './helpers.js'

/** Every file under `root`, as `/`-separated paths relative to it, sorted. */
function filesUnder(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split('\\').join('/'))
    .sort()
}

describe('sweep on the fs driver (no native TTL)', () => {
  let dir: ReturnType<typeof tempDir>
  let storage: ReturnType<typeof createStorage>
  const clock = createClock('virtual')

  beforeEach(() => {
    dir = tempDir('sweep')
    storage = createStorage({ driver: fsDriver({ base: dir.path }) })
  })
  afterEach(async () => {
    await storage.dispose()
    dir.remove()
  })

  it('removes expired sessions, their children and index entries, nothing else', async () => {
    const store = unstorageStore({ storage, prefix: 'app:', now: clock.now })
    const soon = { idleExpiresAt: clock.now() + 1_000 }
    // Alice: one live device with a remote, one expiring device with a remote.
    const alice = makeRecord(clock, { userId: 'alice' })
    const aliceRemote = makeRecord(clock, { userId: 'alice', parentId: alice.id })
    const aliceOld = makeRecord(clock, { userId: 'alice', ...soon })
    const aliceOldRemote = makeRecord(clock, { userId: 'alice', parentId: aliceOld.id })
    // Bob (a user id that is not a plain key part): his only device expires.
    const bob = makeRecord(clock, { userId: 'bob@example.com', ...soon })
    for (const record of [alice, aliceRemote, aliceOld, aliceOldRemote, bob]) {
      expect(await store.create(record)).toBe('created')
    }
    expect(await store.setIfAbsent('token:live', 3_600)).toBe(true)
    expect(await store.setIfAbsent('token:dead', 1)).toBe(true)

    const bobKey = await keyPart('bob@example.com')
    const live = await keyPart('token:live')
    const dead = await keyPart('token:dead')
    const before = filesUnder(dir.path)
    expect(before).toEqual(
      [
        `app/s/${alice.id}`,
        `app/s/${aliceRemote.id}`,
        `app/s/${aliceOld.id}`,
        `app/s/${aliceOldRemote.id}`,
        `app/s/${bob.id}`,
        `app/c/${alice.id}`,
        `app/c/${aliceOld.id}`,
        'app/u/alice',
        `app/u/${bobKey}`,
        `app/n/${live}`,
        `app/n/${dead}`,
      ].sort(),
    )

    await clock.advance(2_000)
    // Three records: Alice's old device with its remote, and Bob's device.
    const progress: [number, number][] = []
    const report = (scanned: number, total: number) => {
      progress.push([scanned, total])
      throw new Error('a broken progress display') // never fails the sweep
    }
    expect(await store.sweep(clock.now(), report)).toEqual({ scanned: 5, removed: 3, kept: 2 })
    expect(progress).toEqual([
      [0, 5],
      [5, 5],
    ])

    expect(filesUnder(dir.path)).toEqual(
      [
        `app/s/${alice.id}`,
        `app/s/${aliceRemote.id}`,
        `app/c/${alice.id}`,
        'app/u/alice',
        `app/n/${live}`,
      ].sort(),
    )
    expect(JSON.parse(readFileSync(join(dir.path, 'app/u/alice'), 'utf8'))).toEqual([alice.id])
    expect(JSON.parse(readFileSync(join(dir.path, `app/c/${alice.id}`), 'utf8'))).toEqual([
      aliceRemote.id,
    ])
    expect(await store.listUser('alice')).toEqual([alice])
    expect(await store.getWithParent(aliceRemote.id)).toEqual({
      session: aliceRemote,
      parent: alice,
    })
    expect(await store.hasKey('token:dead')).toBe(false)
    expect(await store.hasKey('token:live')).toBe(true)
    expect(await store.setIfAbsent('token:dead', 60)).toBe(true)
    expect(await store.setIfAbsent('token:live', 60)).toBe(false)
    // A second sweep finds nothing more.
    expect(await store.sweep(clock.now())).toEqual({ scanned: 2, removed: 0, kept: 2 })
  })

  it("leaves other prefixes' files alone, even nested ones", async () => {
    const outer = unstorageStore({ storage, prefix: 'app:', now: clock.now })
    const nested = unstorageStore({ storage, prefix: 'app:s:x:', now: clock.now })
    const mine = makeRecord(clock, { idleExpiresAt: clock.now() + 1_000 })
    const theirs = makeRecord(clock, { idleExpiresAt: clock.now() + 1_000 })
    await outer.create(mine)
    await nested.create(theirs)
    await clock.advance(2_000)
    expect(await outer.sweep(clock.now())).toEqual({ scanned: 1, removed: 1, kept: 0 })
    expect(filesUnder(dir.path)).toEqual([`app/s/x/s/${theirs.id}`, `app/s/x/u/${theirs.userId}`])
    expect(await nested.sweep(clock.now())).toEqual({ scanned: 1, removed: 1, kept: 0 })
    expect(filesUnder(dir.path)).toEqual([])
  })

  it('keeps unreadable items (maybe a write in progress) and reads them as absent', async () => {
    const store = unstorageStore({ storage, prefix: 'app:', now: clock.now })
    const record = makeRecord(clock, { idleExpiresAt: clock.now() + 1_000 })
    await storage.setItem(`app:s:${record.id}`, '{"id":')
    await clock.advance(2_000)
    expect(await store.sweep(clock.now())).toEqual({ scanned: 1, removed: 0, kept: 1 })
    expect(filesUnder(dir.path)).toEqual([`app/s/${record.id}`])
    expect(await store.get(record.id)).toBeNull()
  })
})
