import { ApiError } from './api-error.js'
import { TransportError } from './transport.js'

/** The one place that says which failures another attempt can fix, for the IoT API and OSS alike. */

/** Codes that mean "later", whatever HTTP status they come with (the IoT API's come with 200). */
const TRANSIENT_CODES = new Set([
  'ServiceUnavailable',
  'InternalError',
  'RequestTimeout',
  'SlowDown',
  'iot.common.TooManyRequest',
  'iot.system.SystemException'
])

/** Throttling in either of its forms (the live service's choice for 10 QPS is not documented). */
function isThrottling(err: ApiError): boolean {
  return err.code.startsWith('Throttling') || err.code === 'iot.common.TooManyRequest'
}

/** An answer worth another attempt: throttling, server-side failures, the business codes that mean the same. */
export function isTransientAnswer(status: number, code: string): boolean {
  return TRANSIENT_CODES.has(code) || code.startsWith('Throttling') || status >= 500 || status === 429
}

/** Failures that another attempt can fix: the network, timeouts, throttling, server errors. */
export function isRetryable(err: unknown): boolean {
  if (err instanceof TransportError) return err.kind !== 'aborted'
  if (err instanceof ApiError) {
    // An upload form outlives its one-minute policy when retries wait; a fresh one fixes that.
    if (err.operation === 'PostObject' && err.code === 'AccessDenied' && /expired/i.test(err.message)) return true
    return isTransientAnswer(err.status, err.code)
  }
  return false
}

/**
 * The outcome of the call is unknown: the request left and no answer came back, or the server
 * failed (5xx, iot.system.SystemException) at a point we cannot see. Throttling is refused before
 * the operation runs, so it is not ambiguous.
 */
export function isAmbiguous(err: unknown): boolean {
  if (err instanceof TransportError) return err.requestSent || err.kind === 'timeout'
  return err instanceof ApiError && isTransientAnswer(err.status, err.code) && !isThrottling(err)
}
