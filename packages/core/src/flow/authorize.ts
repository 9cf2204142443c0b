import { ShareError } from '../errors.js'

/**
 * The signed authorize request: `callback`, `state` and `t` (when the remote
 * made it, epoch seconds) under one checksum, so none can be swapped and a
 * captured URL expires.
 */
export function authorizeChecksumData(callback: string, state: string, issuedSec: number): string {
  return `${callback}.${state}.${issuedSec}`
}

/** How long an authorize URL stays valid: as long as the state cookie it goes with. */
export const AUTHORIZE_MAX_AGE_SEC = 600
/** A remote's clock may run this far ahead of the host's. */
const AUTHORIZE_LEEWAY_SEC = 30

/** `t` as epoch seconds, refused when it is not a plain integer or outside the window. */
export function checkAuthorizeTime(text: string, nowMs: number): number {
  if (!/^\d{1,12}$/.test(text)) throw new ShareError('ERR_REQUEST_INVALID')
  const issued = Number(text)
  const now = Math.floor(nowMs / 1000)
  if (issued > now + AUTHORIZE_LEEWAY_SEC || now - issued > AUTHORIZE_MAX_AGE_SEC) {
    throw new ShareError('ERR_REQUEST_EXPIRED')
  }
  return issued
}
