import { runAdapterScenarios } from '@share/test-utils'
import { buildHonoApps } from './apps.js'

runAdapterScenarios(
  'hono',
  async (handlers) => {
    const { hostApp, remoteApp } = buildHonoApps(handlers)
    return {
      host: async (request) => hostApp.fetch(request),
      remote: async (request) => remoteApp.fetch(request),
      close: async () => {},
    }
  },
  { guards: true },
)
