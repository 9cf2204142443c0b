// @ts-check
// The demo's HTML: one small layout shared by the three apps.

/** @param {unknown} value */
export function escapeHtml(value) {
  return String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

/**
 * A page with the app's name and colour. `body` is trusted HTML built with `escape`.
 * @param {{ app: string, colour: string, title: string, body: string }} page
 */
export function layout({ app, colour, title, body }) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · ${escapeHtml(app)}</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; color: #1d1d1f; background: #f6f6f8 }
  header { background: ${colour}; color: white; padding: .8rem 1.5rem; font-weight: 600 }
  main { max-width: 52rem; margin: 2rem auto; padding: 0 1.5rem }
  .card { background: white; border-radius: .6rem; padding: 1.2rem 1.5rem; margin-bottom: 1rem; box-shadow: 0 1px 3px #0002 }
  table { border-collapse: collapse; width: 100% } th, td { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid #e5e5ea; vertical-align: top }
  button { font: inherit; padding: .35rem .8rem; border-radius: .4rem; border: 1px solid #c7c7cc; background: white; cursor: pointer }
  button.danger { border-color: #d70015; color: #d70015 }
  input { font: inherit; padding: .35rem .5rem; border-radius: .4rem; border: 1px solid #c7c7cc }
  form.inline { display: inline } .muted { color: #6e6e73; font-size: .9rem } .error { color: #d70015 }
  nav a { margin-right: 1rem }
</style>
</head>
<body><header>${escapeHtml(app)}</header><main>${body}</main></body>
</html>`
}

/** @param {number} epochMs */
export function when(epochMs) {
  return `${new Date(epochMs).toISOString().replace('T', ' ').slice(0, 19)} UTC`
}
