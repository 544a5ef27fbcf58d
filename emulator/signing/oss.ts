/**
 * OSS request signatures in the Authorization header, over the request as OSS reads it (the bucket
 * and key it addresses, the query as received): V1 (`OSS AccessKeyId:Signature`, HMAC-SHA1) and V4
 * (`OSS4-HMAC-SHA256`, HMAC-SHA256 with a derived key).
 */
import { createHash, createHmac } from 'node:crypto'
import { hmacSha1Base64 } from './hmac.js'
import { pe, type QueryPair } from './rfc3986.js'

export const V4_ALGORITHM = 'OSS4-HMAC-SHA256'

/** An OSS request as its signature covers it. */
export interface OssSignedRequest {
  method: string
  /** Lower-case names. */
  headers: Readonly<Record<string, string>>
  /** Decoded query parameters, in request order. */
  query: readonly QueryPair[]
  /** The bucket and key the request addresses, whatever the addressing; key '' for the bucket itself. */
  bucket: string
  key: string
}

/** Query parameters that V1 signs (the canonicalized resource's sub-resources); the others are not signed. */
const V1_SUBRESOURCES = new Set([
  'acl',
  'append',
  'bucketInfo',
  'callback',
  'callback-var',
  'cname',
  'comp',
  'continuation-token',
  'cors',
  'delete',
  'encryption',
  'endTime',
  'img',
  'lifecycle',
  'live',
  'location',
  'logging',
  'objectMeta',
  'partNumber',
  'policy',
  'position',
  'qos',
  'referer',
  'replication',
  'replicationLocation',
  'replicationProgress',
  'requestPayment',
  'response-cache-control',
  'response-content-disposition',
  'response-content-encoding',
  'response-content-language',
  'response-content-type',
  'response-expires',
  'restore',
  'security-token',
  'sequential',
  'startTime',
  'stat',
  'status',
  'style',
  'styleName',
  'symlink',
  'tagging',
  'uploadId',
  'uploads',
  'versionId',
  'versioning',
  'versions',
  'vod',
  'website',
  'x-oss-process'
])

/** Signed `x-oss-*` headers, sorted, one `name:value` per line. */
function canonicalOssHeaders(headers: Readonly<Record<string, string>>): string[] {
  return Object.keys(headers)
    .filter((name) => name.startsWith('x-oss-'))
    .sort()
    .map((name) => `${name}:${(headers[name] ?? '').trim()}`)
}

/** V1's string to sign: VERB, Content-MD5, Content-Type, Date, the x-oss-* headers, `/bucket/key?sub-resources`. */
export function ossV1StringToSign(request: OssSignedRequest): string {
  const { headers } = request
  const subresources = request.query
    .filter(([name]) => V1_SUBRESOURCES.has(name))
    .map(([name, value]) => (value === '' ? name : `${name}=${value}`))
    .sort()
  const resource = `/${request.bucket}/${request.key}${subresources.length > 0 ? `?${subresources.join('&')}` : ''}`
  // With x-oss-date set (as ali-oss does) its value takes the Date line.
  const date = headers['x-oss-date'] ?? headers.date ?? ''
  return [request.method, headers['content-md5'] ?? '', headers['content-type'] ?? '', date, ...canonicalOssHeaders(headers), resource].join('\n')
}

/** base64(HMAC-SHA1(secret, text)): V1 headers, signed URLs and policies alike. */
export function ossV1Signature(stringToSign: string, accessKeySecret: string): string {
  return hmacSha1Base64(accessKeySecret, stringToSign)
}

/** V4's canonical request; `additional` are the extra signed headers the Authorization names. */
export function ossV4CanonicalRequest(request: OssSignedRequest, additional: readonly string[]): string {
  const { headers } = request
  const uri = pe(`/${request.bucket}/${request.key}`).replace(/%2F/g, '/')
  const query = request.query
    .map(([name, value]) => [pe(name), pe(value)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => (value === '' ? name : `${name}=${value}`))
    .join('&')
  const signed = new Set([...additional, ...Object.keys(headers).filter((n) => n === 'content-type' || n === 'content-md5' || n.startsWith('x-oss-'))])
  const canonicalHeaders = [...signed]
    .sort()
    .map((name) => `${name}:${(headers[name] ?? '').trim()}\n`)
    .join('')
  return [request.method, uri, query, canonicalHeaders, additional.join(';'), headers['x-oss-content-sha256'] ?? 'UNSIGNED-PAYLOAD'].join('\n')
}

/** V4's string to sign for a canonical request signed at `timestamp` (`20261125T100000Z`) in this scope. */
export function ossV4StringToSign(canonicalRequest: string, timestamp: string, date: string, region: string): string {
  return [V4_ALGORITHM, timestamp, `${date}/${region}/oss/aliyun_v4_request`, createHash('sha256').update(canonicalRequest).digest('hex')].join('\n')
}

/** V4 signature: HMAC-SHA256 chain over date, region, `oss` and `aliyun_v4_request`, then the string to sign. */
export function ossV4Signature(secret: string, date: string, region: string, stringToSign: string): string {
  const hmac = (key: string | Buffer, text: string) => createHmac('sha256', key).update(text).digest()
  const signingKey = hmac(hmac(hmac(hmac(`aliyun_v4${secret}`, date), region), 'oss'), 'aliyun_v4_request')
  return createHmac('sha256', signingKey).update(stringToSign).digest('hex')
}
