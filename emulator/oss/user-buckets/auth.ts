/**
 * OSS request signatures in the Authorization header, verified as OSS does: V1
 * (`OSS AccessKeyId:Signature`, HMAC-SHA1) and V4 (`OSS4-HMAC-SHA256 Credential=…`, HMAC-SHA256
 * with a derived key). The emulator's accounts are the IoT API's: one Alibaba Cloud account.
 */
import { createHash, createHmac } from 'node:crypto'
import { percentEncode } from '../../../src/signing/percent-encode.js'
import type { EmulatorAccount } from '../../server/options.js'
import { OssError } from '../../server/responses.js'

/** How far a request's date may be off the server's clock. */
const SKEW_LIMIT_MS = 15 * 60_000

export const V4_ALGORITHM = 'OSS4-HMAC-SHA256'

/**
 * Query parameters that V1 signs (the canonicalized resource's sub-resources); other query
 * parameters are not signed.
 */
const V1_SUBRESOURCES = new Set([
  'acl', 'append', 'bucketInfo', 'callback', 'callback-var', 'cname', 'comp', 'continuation-token', 'cors', 'delete',
  'encryption', 'endTime', 'img', 'lifecycle', 'live', 'location', 'logging', 'objectMeta', 'partNumber', 'policy',
  'position', 'qos', 'referer', 'replication', 'replicationLocation', 'replicationProgress', 'requestPayment',
  'response-cache-control', 'response-content-disposition', 'response-content-encoding', 'response-content-language',
  'response-content-type', 'response-expires', 'restore', 'security-token', 'sequential', 'startTime', 'stat', 'status',
  'style', 'styleName', 'symlink', 'tagging', 'uploadId', 'uploads', 'versionId', 'versioning', 'versions', 'vod',
  'website', 'x-oss-process'
])

/** An OSS REST request as the signature sees it. */
export interface OssAuthRequest {
  method: string
  /** Lower-case names. */
  headers: Readonly<Record<string, string>>
  /** Decoded query parameters, in request order. */
  query: readonly (readonly [string, string])[]
  bucket: string
  /** Decoded object key; '' for bucket-level requests. */
  key: string
}

const signatureMismatch = (stringToSign: string) =>
  new OssError(
    403,
    'SignatureDoesNotMatch',
    `The request signature we calculated does not match the signature you provided. Check your key and signing method. (string to sign: ${JSON.stringify(stringToSign)})`
  )
const accessDenied = (message: string) => new OssError(403, 'AccessDenied', message)
const unknownKey = () => new OssError(403, 'InvalidAccessKeyId', 'The OSS Access Key Id you provided does not exist in our records.')

/** Signed `x-oss-*` headers, lower-case and sorted, one `name:value` per line. */
function canonicalOssHeaders(headers: Readonly<Record<string, string>>): string[] {
  return Object.keys(headers)
    .filter((name) => name.startsWith('x-oss-'))
    .sort()
    .map((name) => `${name}:${(headers[name] ?? '').trim()}`)
}

/** V1's string to sign: VERB, Content-MD5, Content-Type, Date, the x-oss-* headers, the resource. */
export function stringToSignV1(request: OssAuthRequest): string {
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

/** V4's canonical request; `additional` are the extra signed headers the Authorization names. */
export function canonicalRequestV4(request: OssAuthRequest, additional: readonly string[]): string {
  const { headers } = request
  const uri = percentEncode(`/${request.bucket}/${request.key}`).replace(/%2F/g, '/')
  const query = [...request.query]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => (value === '' ? percentEncode(name) : `${percentEncode(name)}=${percentEncode(value)}`))
    .join('&')
  const signed = new Set([...additional, ...Object.keys(headers).filter((n) => n === 'content-type' || n === 'content-md5' || n.startsWith('x-oss-'))])
  const canonicalHeaders = [...signed]
    .sort()
    .map((name) => `${name}:${(headers[name] ?? '').trim()}\n`)
    .join('')
  return [request.method, uri, query, canonicalHeaders, additional.join(';'), headers['x-oss-content-sha256'] ?? 'UNSIGNED-PAYLOAD'].join('\n')
}

/** V4 signature: HMAC-SHA256 chain over date, region, `oss` and `aliyun_v4_request`, then the string to sign. */
export function signV4(secret: string, date: string, region: string, stringToSign: string): string {
  const hmac = (key: string | Buffer, text: string) => createHmac('sha256', key).update(text).digest()
  const signingKey = hmac(hmac(hmac(hmac(`aliyun_v4${secret}`, date), region), 'oss'), 'aliyun_v4_request')
  return createHmac('sha256', signingKey).update(stringToSign).digest('hex')
}

/** `Tue, 25 Nov 2026 10:00:00 GMT` (V1) or `20261125T100000Z` (V4), within 15 minutes of now. */
function checkDate(value: string | undefined, now: number): void {
  if (value === undefined || value === '') throw accessDenied('Missing date header: send Date or x-oss-date.')
  const compact = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value)
  const time = compact ? Date.UTC(+compact[1]!, +compact[2]! - 1, +compact[3]!, +compact[4]!, +compact[5]!, +compact[6]!) : Date.parse(value)
  if (Number.isNaN(time)) throw accessDenied(`Invalid date: ${value}`)
  if (Math.abs(now - time) > SKEW_LIMIT_MS) {
    throw new OssError(403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.')
  }
}

function checkSecurityToken(account: EmulatorAccount, token: string | undefined): void {
  if (account.securityToken === undefined && token === undefined) return
  // An STS AccessKey is unknown without its token.
  if (token === undefined) throw unknownKey()
  if (token !== account.securityToken) throw new OssError(403, 'InvalidSecurityToken', 'The security token you provided is invalid.')
}

function verifyV1(request: OssAuthRequest, authorization: string, accounts: ReadonlyMap<string, EmulatorAccount>): EmulatorAccount {
  const match = /^OSS ([^:\s]+):(\S+)$/.exec(authorization)
  if (!match) throw accessDenied('The Authorization header is malformed.')
  const account = accounts.get(match[1] ?? '')
  if (!account) throw unknownKey()
  const text = stringToSignV1(request)
  const expected = createHmac('sha1', account.accessKeySecret).update(Buffer.from(text, 'utf8')).digest('base64')
  if (expected !== match[2]) throw signatureMismatch(text)
  return account
}

function verifyV4(request: OssAuthRequest, authorization: string, accounts: ReadonlyMap<string, EmulatorAccount>): EmulatorAccount {
  const fields = new Map<string, string>()
  for (const part of authorization.slice(V4_ALGORITHM.length).split(',')) {
    const eq = part.indexOf('=')
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim())
  }
  const [accessKeyId, date, region, product, terminator] = (fields.get('Credential') ?? '').split('/')
  const signature = fields.get('Signature')
  if (!accessKeyId || !date || !region || product !== 'oss' || terminator !== 'aliyun_v4_request' || !signature) {
    throw accessDenied('The Authorization header is malformed: Credential=<AccessKeyId>/<date>/<region>/oss/aliyun_v4_request and Signature are required.')
  }
  const timestamp = request.headers['x-oss-date'] ?? ''
  if (!timestamp.startsWith(`${date}T`)) throw accessDenied('The date in Credential must be the date of x-oss-date.')
  if (request.headers['x-oss-content-sha256'] === undefined) throw accessDenied('Missing header x-oss-content-sha256.')
  const account = accounts.get(accessKeyId)
  if (!account) throw unknownKey()
  const additional = (fields.get('AdditionalHeaders') ?? '').split(';').filter((h) => h !== '').map((h) => h.toLowerCase())
  const canonical = canonicalRequestV4(request, additional)
  const text = [V4_ALGORITHM, timestamp, `${date}/${region}/oss/aliyun_v4_request`, createHash('sha256').update(canonical).digest('hex')].join('\n')
  if (signV4(account.accessKeySecret, date, region, text) !== signature.toLowerCase()) throw signatureMismatch(`${text}\n\n${canonical}`)
  return account
}

/**
 * The account a signed request comes from, or undefined for an anonymous one (no Authorization).
 * Throws OssError for a bad date, an unknown key, a wrong signature or STS token.
 */
export function authenticateOss(request: OssAuthRequest, accounts: ReadonlyMap<string, EmulatorAccount>, now: number): EmulatorAccount | undefined {
  const authorization = request.headers.authorization
  if (authorization === undefined) return undefined
  const v4 = authorization.startsWith(`${V4_ALGORITHM} `)
  if (!v4 && !authorization.startsWith('OSS ')) throw accessDenied('Unsupported Authorization: use OSS (V1) or OSS4-HMAC-SHA256 (V4).')
  checkDate(v4 ? request.headers['x-oss-date'] : request.headers['x-oss-date'] ?? request.headers.date, now)
  const account = v4 ? verifyV4(request, authorization, accounts) : verifyV1(request, authorization, accounts)
  checkSecurityToken(account, request.headers['x-oss-security-token'])
  return account
}

/** The AccessKeyId a request claims, for the request log; nothing is verified. */
export function claimedOssAccessKeyId(authorization: string | undefined): string | undefined {
  if (authorization === undefined) return undefined
  if (authorization.startsWith('OSS ')) return /^OSS ([^:\s]+):/.exec(authorization)?.[1]
  return /Credential=([^/,\s]+)\//.exec(authorization)?.[1]
}
