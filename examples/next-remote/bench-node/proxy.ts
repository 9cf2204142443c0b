// The benchmark's middleware slot on Node: Next 16's proxy.ts.
export { benchSlot as proxy } from '../bench-app/slot'

export const config = { matcher: ['/api/:path*', '/bench/:path*'] }
