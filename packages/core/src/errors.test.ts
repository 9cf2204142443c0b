import { describe, expect, it } from 'vitest'
import {
  errorStatus,
  isShareError,
  SHARE_ERROR_CODES,
  ShareError,
  storeUnavailable,
} from './errors.js'

describe('ShareError', () => {
  it.each(SHARE_ERROR_CODES)('%s has a status and a fixed message', (code) => {
    const error = new ShareError(code)
    expect(error.code).toBe(code)
    expect(error.name).toBe('ShareError')
    expect([400, 401, 403, 405, 413, 500, 503]).toContain(errorStatus(code))
    expect(error.status).toBe(errorStatus(code))
    expect(error.message.length).toBeGreaterThan(10)
  })

  it('maps request problems to 4xx and configuration problems to 500', () => {
    expect(errorStatus('ERR_CALLBACK_NOT_ALLOWED')).toBe(400)
    expect(errorStatus('ERR_TOKEN_BAD_SEAL')).toBe(403)
    expect(errorStatus('ERR_CONFIG_INVALID')).toBe(500)
  })

  it('appends a detail and keeps the cause', () => {
    const cause = new Error('inner')
    const error = new ShareError('ERR_CONFIG_INVALID', { detail: 'ttl is negative', cause })
    expect(error.message).toBe('Share configuration is invalid: ttl is negative')
    expect(error.cause).toBe(cause)
  })

  it('turns a driver error into ERR_STORE_UNAVAILABLE without the command it carried', () => {
    const driverError = Object.assign(new Error('CROSSSLOT keys\nsecond line'), {
      name: 'ReplyError',
      command: { name: 'evalsha', args: ['share:{abc}s:SECRET_SESSION_ID'] },
    })
    const error = storeUnavailable(driverError)
    expect([error.code, error.status]).toEqual(['ERR_STORE_UNAVAILABLE', 503])
    expect(error.cause).toBeInstanceOf(Error)
    expect((error.cause as Error).message).toBe('CROSSSLOT keys')
    expect((error.cause as Error).name).toBe('ReplyError')
    expect(JSON.stringify(error.cause)).not.toContain('SECRET')
    expect(Object.keys(error.cause as object)).not.toContain('command')
    const share = new ShareError('ERR_STORE_FULL')
    expect(storeUnavailable(share)).toBe(share)
  })

  it('is recognised across package copies by name and code, not instanceof', () => {
    const foreign = Object.assign(new Error('x'), { name: 'ShareError', code: 'ERR_TOKEN_EXPIRED' })
    expect(isShareError(foreign)).toBe(true)
    expect(
      isShareError(Object.assign(new Error('x'), { name: 'ShareError', code: 'ERR_NOPE' })),
    ).toBe(false)
    expect(isShareError({ name: 'ShareError', code: 'ERR_TOKEN_EXPIRED' })).toBe(false)
    expect(isShareError(new TypeError('x'))).toBe(false)
  })
})
