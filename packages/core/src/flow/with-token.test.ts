import { describe, expect, it } from 'vitest'
import { withToken } from './with-token.js'

/** The callback the host redirects to: the app's own parameters kept, one token added. */

describe('withToken', () => {
  it('replaces any token parameter, however it is spelled, and keeps the others as they were', () => {
    const callback = new URL('https://app.example/cb?a=1&token=old&to%6Ben=x&to+ken=2&%E0=3#frag')
    expect(withToken(callback, 'T')).toBe('https://app.example/cb?a=1&to+ken=2&%E0=3&token=T#frag')
  })
})
