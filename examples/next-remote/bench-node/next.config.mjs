/** @type {import('next').NextConfig} */
const config = {
  poweredByHeader: false,
  // `pnpm typecheck` (tsc -p tsconfig.json) checks the app and its tests; the build need not again.
  typescript: { ignoreBuildErrors: true },
}

export default config
