import type { ServerResponse } from 'node:http'
import { toXml } from './xml.js'

/** An error answer with its HTTP status and code. */
class StatusError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string
  ) {
    super(message)
  }
}

/** A 4xx/5xx answer of Alibaba's API gateway (signature, replay, throttling, server trouble). */
export class GatewayError extends StatusError {}

/** An IoT business error: HTTP 200 with `Success: false`, which the SDK returns instead of throwing. */
export class BusinessError extends Error {
  constructor(
    readonly code: string,
    message: string
  ) {
    super(message)
  }
}

/** An OSS error, answered as XML. */
export class OssError extends StatusError {}

/** The gateway errors, with the platform's codes and messages. */
export const gatewayErrors = {
  missing: (name: string) => new GatewayError(400, `Missing${name}`, `${name} is mandatory for this action.`),
  invalid: (name: string) => new GatewayError(400, `Invalid${name}`, `Specified parameter ${name} is not valid.`),
  incompleteSignature: (detail: string) =>
    new GatewayError(400, 'IncompleteSignature', `The request signature does not conform to Aliyun standards. ${detail}`),
  signatureDoesNotMatch: (stringToSign: string) =>
    new GatewayError(400, 'SignatureDoesNotMatch', `Specified signature is not matched with our calculation. server string to sign is:${stringToSign}`),
  accessKeyNotFound: () => new GatewayError(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.'),
  timestampExpired: () => new GatewayError(400, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.'),
  timestampFormat: () => new GatewayError(400, 'InvalidTimeStamp.Format', 'Specified time stamp or date value is not well formatted.'),
  nonceUsed: () => new GatewayError(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.'),
  tokenMismatch: () => new GatewayError(400, 'InvalidSecurityToken.MismatchWithAccessKey', 'Specified SecurityToken mismatch with the AccessKey.'),
  apiNotFound: () => new GatewayError(404, 'InvalidApi.NotFound', 'Specified api is not found, please check your url and method.'),
  /** Code and message as Alibaba's gateway answers them; the status is the emulator's choice (not published). */
  unsupportedMethod: () => new GatewayError(400, 'UnsupportedHTTPMethod', 'This http method is not supported.'),
  throttled: () => new GatewayError(400, 'Throttling.User', 'Request was denied due to user flow control.'),
  forbidden: () => new GatewayError(403, 'Forbidden.RAM', 'User not authorized to operate on the specified resource.'),
  serverError: (status: 500 | 503) =>
    status === 503
      ? new GatewayError(503, 'ServiceUnavailable', 'The request has failed due to a temporary failure of the server.')
      : new GatewayError(500, 'InternalError', 'The request processing has failed due to some unknown error, exception or failure.')
}

/** The OSS errors more than one operation answers, with OSS's codes and messages. */
export const ossErrors = {
  accessDenied: (message: string) => new OssError(403, 'AccessDenied', message),
  /** The bucket's ACL does not let this caller do this. */
  bucketAcl: () => new OssError(403, 'AccessDenied', 'You have no right to access this object because of bucket acl.'),
  invalidArgument: (message: string) => new OssError(400, 'InvalidArgument', message),
  unknownAccessKey: () => new OssError(403, 'InvalidAccessKeyId', 'The OSS Access Key Id you provided does not exist in our records.'),
  signatureMismatch: (detail = '') =>
    new OssError(
      403,
      'SignatureDoesNotMatch',
      `The request signature we calculated does not match the signature you provided. Check your key and signing method.${detail}`
    ),
  noSuchKey: () => new OssError(404, 'NoSuchKey', 'The specified key does not exist.'),
  invalidObjectName: () => new OssError(400, 'InvalidObjectName', 'The specified object is not valid.'),
  methodNotAllowed: () => new OssError(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.'),
  invalidDigest: () => new OssError(400, 'InvalidDigest', 'The Content-MD5 you specified is not valid.'),
  entityTooLarge: () => new OssError(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size.'),
  entityTooSmall: () => new OssError(400, 'EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size.'),
  serverError: (status: 500 | 503 | undefined) =>
    status === 503
      ? new OssError(503, 'ServiceUnavailable', 'Please reduce your request rate.')
      : new OssError(500, 'InternalError', 'We encountered an internal error. Please try again.')
}

export type RpcFormat = 'JSON' | 'XML'

/** What an RPC call answers, before it is serialized in the caller's Format. */
export interface RpcReply {
  status: number
  /** The error code, for the request log; undefined on success. */
  code?: string
  /** Root element when answered as XML. */
  root: string
  body: Record<string, unknown>
}

export function gatewayReply(error: GatewayError, requestId: string, hostId: string): RpcReply {
  return {
    status: error.status,
    code: error.code,
    root: 'Error',
    body: {
      RequestId: requestId,
      HostId: hostId,
      Code: error.code,
      Message: error.message,
      Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(error.code)}&product=Iot&requestId=${requestId}`
    }
  }
}

export function businessReply(error: BusinessError, requestId: string, action: string): RpcReply {
  return {
    status: 200,
    code: error.code,
    root: `${action}Response`,
    body: { RequestId: requestId, Success: false, Code: error.code, ErrorMessage: error.message }
  }
}

export function successReply(requestId: string, action: string, fields: Record<string, unknown>): RpcReply {
  return { status: 200, root: `${action}Response`, body: { RequestId: requestId, Success: true, ...fields } }
}

export function sendRpcReply(res: ServerResponse, reply: RpcReply, format: RpcFormat): void {
  const xml = format === 'XML'
  const text = xml ? toXml(reply.root, reply.body) : JSON.stringify(reply.body)
  res.writeHead(reply.status, {
    'content-type': xml ? 'text/xml;charset=utf-8' : 'application/json;charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'x-acs-request-id': String(reply.body.RequestId)
  })
  res.end(text)
}

/** Headers every OSS answer carries. */
export function ossHeaders(requestId: string): Record<string, string> {
  return { server: 'AliyunOSS', 'x-oss-request-id': requestId }
}

export function sendOssError(res: ServerResponse, error: OssError, requestId: string, hostId: string): void {
  const text = toXml('Error', { Code: error.code, Message: error.message, RequestId: requestId, HostId: hostId })
  res.writeHead(error.status, {
    ...ossHeaders(requestId),
    'content-type': 'application/xml',
    'content-length': Buffer.byteLength(text)
  })
  res.end(text)
}
