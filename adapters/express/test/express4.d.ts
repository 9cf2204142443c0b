// Express 4 is installed under the alias `express4`; its shape is checked structurally in apps.ts.
declare module 'express4' {
  const express: unknown
  export default express
}
