// The scenario table every adapter runs (packages/test-utils), here inside workerd: the host
// and the remote are Workers wrapped by withShare, on the table's memory store.
import { env } from 'cloudflare:workers'
import { runAdapterScenarios } from '@share/test-utils'
import { asFetch, hostWorker, remoteWorker } from './apps.js'

runAdapterScenarios(
  'workers (workerd)',
  async ({ host, remote }) => ({
    host: asFetch(
      hostWorker(() => host),
      env,
    ),
    remote: asFetch(
      remoteWorker(() => remote),
      env,
    ),
    close: async () => {},
  }),
  { guards: true },
)
