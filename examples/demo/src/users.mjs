// @ts-check
// The demo's users. A real host checks hashed passwords in its own user store;
// Share only starts once the host has decided who signed in.

/** @type {Record<string, { password: string, name: string, email: string }>} */
const USERS = {
  alice: { password: 'alice', name: 'Alice Example', email: 'alice@example.com' },
  bob: { password: 'bob', name: 'Bob Example', email: 'bob@example.com' },
}

/**
 * The user's shared profile when the credentials match, else null.
 * @param {unknown} username
 * @param {unknown} password
 */
export function checkCredentials(username, password) {
  if (typeof username !== 'string' || typeof password !== 'string') return null
  const user = Object.hasOwn(USERS, username) ? USERS[username] : undefined
  if (!user || user.password !== password) return null
  return { id: username, name: user.name, email: user.email }
}
