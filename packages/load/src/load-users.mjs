// @ts-check
// The virtual users. The demo knows two people (alice, bob); a load run needs
// one account per virtual user, so a request answered for the wrong user shows
// as the wrong name. The host checks these before the demo's own users.
import { checkCredentials } from '@share/example-demo/src/users.mjs'

const LOAD_USER = /^vu-(\d{1,6})$/

/** The account of virtual user `n`: its password is its name (a load test, not a secret). @param {number} n */
export function loadAccount(n) {
  const id = `vu-${n}`
  return { username: id, password: id }
}

/**
 * The profile the host shares for these credentials, or null.
 * @param {unknown} username @param {unknown} password
 */
export function checkLoadCredentials(username, password) {
  if (typeof username === 'string' && LOAD_USER.test(username) && password === username) {
    return {
      id: username,
      name: `Virtual user ${username.slice(3)}`,
      email: `${username}@load.test`,
    }
  }
  return checkCredentials(username, password)
}
