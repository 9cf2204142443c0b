// Type tests (compiled by tsconfig.typetest.json, never run): a registered user type reaches
// every session read with no cast, and the host's signIn takes only that type.
import {
  createMemoryStore,
  createShareHost,
  createShareRemote,
  type ResolvedSession,
  type ShareUser,
} from '@share/core'

interface AppUser {
  id: string
  name: string
  roles: string[]
}

declare module '@share/core' {
  interface Register {
    user: AppUser
  }
}

type Equals<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false
const check = <T extends true>(_proof?: T) => {}

check<Equals<ShareUser, AppUser>>()
check<Equals<ResolvedSession['user'], AppUser | null>>()

const store = createMemoryStore()
const remote = createShareRemote({
  syncKey: 'share_sk1_x',
  appUrl: 'https://app.example.com',
  hostUrl: 'https://login.example.com',
  store,
})
const host = createShareHost({
  syncKey: 'share_sk1_x',
  appUrl: 'https://login.example.com',
  knownRemotes: ['https://app.example.com'],
  store,
})

export async function reads(request: Request) {
  const { session } = await remote.getSession(request)
  const roles: string[] | undefined = session?.user?.roles
  const outcome = await remote.handle(request)
  if (outcome.type === 'continue' && outcome.session?.user) {
    const name: string = outcome.session.user.name
    return [roles, name]
  }
  await host.signIn(request, { userId: 'a', user: { id: 'a', name: 'A', roles: [] } })
  // @ts-expect-error: not the registered user type
  await host.signIn(request, { userId: 'a', user: { nickname: 'A' } })
  return roles
}
