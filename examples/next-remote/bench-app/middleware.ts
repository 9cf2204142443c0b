// The benchmark's middleware slot on the edge runtime (bench-node/ has the same on Node).
export { benchSlot as middleware } from './slot'

export const config = { matcher: ['/api/:path*', '/bench/:path*'] }
