// The parts of Bun's and Deno's own APIs the entries use (their full type
// packages are not needed to check these few lines).
declare namespace Bun {
  interface Server {
    requestIP(request: Request): { address: string; port: number } | null
    stop(): void
  }
  function serve(options: {
    port: number
    hostname: string
    fetch(request: Request, server: Server): Response | Promise<Response>
  }): Server
}

declare namespace Deno {
  const args: string[]
  function exit(code: number): never
  const env: { toObject(): Record<string, string> }
  interface ServeHandlerInfo {
    remoteAddr: { hostname: string; port: number }
  }
  function serve(
    options: { port: number; hostname: string; onListen?(address: unknown): void },
    handler: (request: Request, info: ServeHandlerInfo) => Response | Promise<Response>,
  ): { finished: Promise<void> }
}

// Deno's npm: specifier names the same package tsc finds in node_modules.
declare module 'npm:ioredis@5.9.2' {
  export * from 'ioredis'
}
