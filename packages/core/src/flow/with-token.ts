/**
 * The callback with exactly one `token` parameter, added before any
 * fragment; other parameters keep their exact spelling.
 */
export function withToken(callback: URL, token: string): string {
  const url = new URL(callback.href)
  const kept = url.search
    .slice(1)
    .split('&')
    .filter((pair) => pair !== '' && decodeName(pair) !== 'token')
  url.search = [...kept, `token=${token}`].join('&')
  return url.href
}

function decodeName(pair: string): string {
  const name = pair.split('=', 1)[0] ?? ''
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '))
  } catch {
    return name
  }
}
