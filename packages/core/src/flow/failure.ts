import type { FlowConfig } from '../config/read.js'
import { isShareError, ShareError } from '../errors.js'
import type { SessionEvent } from '../session/events.js'
import { pathAndQuery } from './paths.js'
import type { ShareRequest } from './request.js'
import { type ErrorPageOptions, errorResponse } from './responses.js'

/**
 * A failed request: reported to the developer (`onError`, or the console in
 * development) with its cause, and answered with the fixed page of its code.
 */
export function createFailure(config: FlowConfig, emit: (event: SessionEvent) => void) {
  const { onError, development } = config
  const report =
    onError ??
    (development
      ? (error: ShareError, request: { method: string; path: string }) =>
          console.warn(
            `[share] ${request.method} ${request.path}: ${error.code}: ${error.detail ?? error.message}`,
          )
      : undefined)
  function answer(error: unknown, request: ShareRequest, page: ErrorPageOptions): Response {
    const shareError = isShareError(error)
      ? error
      : new ShareError('ERR_INTERNAL', { cause: error, detail: describe(error) })
    if (shareError.code === 'ERR_STORE_UNAVAILABLE') {
      emit({ type: 'store.unavailable', at: config.now(), operation: 'request' })
    }
    if (report) {
      try {
        // The path without its query: tokens and checksums travel in the query.
        report(shareError, {
          method: request.method,
          path: pathAndQuery(request.url).split('?')[0]!,
        })
      } catch {
        // A logging hook must never turn a 4xx page into a crash.
      }
    }
    return errorResponse(shareError, request, development ? { ...page, detail: true } : page)
  }
  return (error: unknown, request: ShareRequest, page: ErrorPageOptions = {}): Response => {
    try {
      return answer(error, request, page)
    } catch {
      // The request itself cannot be read (only a broken adapter does that): a page that needs nothing from it.
      return answer(error, UNREADABLE_REQUEST, {})
    }
  }
}

/** What a failure is reported and answered with when reading the request throws. */
const UNREADABLE_REQUEST: ShareRequest = Object.freeze({
  method: 'UNREADABLE',
  url: 'http://unreadable.invalid/',
  headers: new Headers(),
  body: null,
})

function describe(error: unknown): string {
  return error instanceof Error
    ? `${error.name}: ${error.message.split('\n', 1)[0]}`
    : String(error)
}
