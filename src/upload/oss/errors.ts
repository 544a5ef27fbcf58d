import { ApiError } from '../../net/api-error.js'
import { isTransientAnswer } from '../../net/transient.js'
import { hintForCode } from '../../platform/remediations.js'
import { INPUT } from '../../contract/names.js'
import { ActionError, describeError } from '../../contract/action-error.js'
import { TransportError } from '../../net/transport.js'

/** The fields ali-oss puts on the errors it throws (HTTP status, or -1 network / -2 timeout). */
interface AliOssErrorFields {
  name?: unknown
  status?: unknown
  code?: unknown
  requestId?: unknown
}

/** The OSS error code of an error ali-oss threw (or of the action's error made from it). */
export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : undefined
}

const OSS_RAM_ACTIONS = 'oss:PutObject, oss:GetObject, oss:DeleteObject and oss:AbortMultipartUpload'
/** Asked only after a lost answer to InitiateMultipartUpload, to find the upload it opened. */
const OSS_BUCKET_RAM_ACTION = 'oss:ListMultipartUploads'

/** What to do about OSS's permanent errors; other codes fall back to the IoT API's hints. */
function hintForOssCode(code: string): string | undefined {
  if (code === 'NoSuchBucket') {
    return `Check '${INPUT.ossBucket}', and '${INPUT.ossRegion}' or '${INPUT.ossEndpoint}': the bucket must exist in that region.`
  }
  if (code === 'AccessDenied') {
    return `The RAM user or role needs ${OSS_RAM_ACTIONS} on the bucket's keys (acs:oss:*:*:<bucket>/<prefix>*) and ${OSS_BUCKET_RAM_ACTION} on the bucket (acs:oss:*:*:<bucket>), and the bucket policy must not deny them.`
  }
  if (code === 'RequestTimeTooSkewed') return "The runner's clock is off by more than 15 minutes."
  if (code === 'InvalidBucketName' || code === 'InvalidObjectName') return `Check '${INPUT.ossBucket}' and '${INPUT.ossKey}'.`
  if (code === 'InvalidDigest' || code === 'InvalidPart') return 'The file changed while it was uploaded: build it once, then publish.'
  return hintForCode(code)
}

/**
 * Turns an error ali-oss threw into the action's kinds: TransportError (network, timeout: retried),
 * ApiError (transient OSS answers: retried), or ActionError with a hint (permanent answers).
 * Errors that are already the action's own pass through.
 */
export function toOssError(operation: string, error: unknown): Error {
  if (error instanceof ActionError || error instanceof ApiError || error instanceof TransportError) return error
  const fields = (typeof error === 'object' && error !== null ? error : {}) as AliOssErrorFields
  const message = describeError(error)
  const status = typeof fields.status === 'number' ? fields.status : undefined
  const name = typeof fields.name === 'string' ? fields.name : ''
  if (status === undefined || status <= 0) {
    const timeout = status === -2 || /Timeout/.test(name)
    return new TransportError(`${operation}: ${message}`, timeout ? 'timeout' : 'network', true, name || undefined)
  }
  const code = typeof fields.code === 'string' && fields.code !== '' ? fields.code : `HTTP${status}`
  const requestId = typeof fields.requestId === 'string' && fields.requestId !== '' ? fields.requestId : undefined
  const apiError = new ApiError(operation, code, message, status, requestId)
  if (isTransientAnswer(status, code)) return apiError
  return new ActionError(apiError.message, { code, hint: hintForOssCode(code), cause: apiError })
}
