import { describe, expect, it } from '@jest/globals'
import { ApiError } from '../../../../src/net/api-error.js'
import { ActionError } from '../../../../src/contract/action-error.js'
import { TransportError } from '../../../../src/net/transport.js'
import { toOssError } from '../../../../src/upload/oss/errors.js'
import { isRetryable } from '../../../../src/net/transient.js'

/** An error shaped as ali-oss throws them. */
function aliOssError(fields: Record<string, unknown>): Error {
  return Object.assign(new Error(String(fields.message ?? 'failed')), fields)
}

describe('toOssError', () => {
  it.each([
    ['a network error', { status: -1, name: 'RequestError' }, TransportError, true],
    ['a timeout', { status: -2, name: 'ResponseTimeoutError' }, TransportError, true],
    ['a 503', { status: 503, code: 'ServiceUnavailable' }, ApiError, true],
    ['a 500 without a code', { status: 500 }, ApiError, true],
    ['a RequestTimeout', { status: 400, code: 'RequestTimeout' }, ApiError, true],
    ['a 403', { status: 403, code: 'AccessDenied' }, ActionError, false],
    ['a 404 bucket', { status: 404, code: 'NoSuchBucket' }, ActionError, false]
  ])('%s', (_name, fields, kind, retryable) => {
    const error = toOssError('PutObject', aliOssError(fields))
    expect(error).toBeInstanceOf(kind)
    expect(isRetryable(error)).toBe(retryable)
  })

  it('gives OSS hints and keeps the code and request id', () => {
    const error = toOssError(
      'PutObject',
      aliOssError({ status: 404, code: 'NoSuchBucket', requestId: 'RID', message: 'The specified bucket does not exist.' })
    ) as ActionError
    expect(error.message).toBe('PutObject failed: NoSuchBucket: The specified bucket does not exist. (RequestId RID)')
    expect(error.code).toBe('NoSuchBucket')
    expect(error.hint).toContain("'oss-bucket'")
  })

  it("passes the action's own errors through", () => {
    const own = new ActionError('conflict')
    expect(toOssError('PutObject', own)).toBe(own)
  })
})
