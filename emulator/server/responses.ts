import type { ServerResponse } from 'node:http'
import { toXml } from './xml.js'

/** A 4xx/5xx answer of Alibaba's API gateway (signature, replay, throttling, server trouble). */
export class GatewayError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string
  ) {
    super(message)
  }
}

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
export class OssError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string
  ) {
    super(message)
  }
}

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
  tokenMismatch: () =>
    new GatewayError(400, 'InvalidSecurityToken.MismatchWithAccessKey', 'Specified SecurityToken mismatch with the AccessKey.'),
  apiNotFound: () => new GatewayError(404, 'InvalidApi.NotFound', 'Specified api is not found, please check your url and method.'),
  unsupportedMethod: () => new GatewayError(400, 'UnsupportedHTTPMethod', 'Specified HTTP method is not supported.'),
  throttled: () => new GatewayError(400, 'Throttling.User', 'Request was denied due to user flow control.'),
  forbidden: () => new GatewayError(403, 'Forbidden.RAM', 'User not authorized to operate on the specified resource.'),
  serverError: (status: 500 | 503) =>
    status === 503
      ? new GatewayError(503, 'ServiceUnavailable', 'The request has failed due to a temporary failure of the server.')
      : new GatewayError(500, 'InternalError', 'The request processing has failed due to some unknown error, exception or failure.')
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
