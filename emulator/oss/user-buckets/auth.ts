/**
 * Who signed an OSS REST request: the V1 or V4 Authorization header checked against the emulator's
 * accounts (the IoT API's: one Alibaba Cloud account), the date and the STS token.
 */
import type { EmulatorAccount } from '../../server/options.js'
import { OssError, ossErrors } from '../../server/responses.js'
import {
  ossV1Signature,
  ossV1StringToSign,
  ossV4CanonicalRequest,
  ossV4Signature,
  ossV4StringToSign,
  V4_ALGORITHM,
  type OssSignedRequest
} from '../../signing/oss.js'

/** How far a request's date may be off the server's clock. */
const SKEW_LIMIT_MS = 15 * 60_000

const signatureMismatch = (stringToSign: string) => ossErrors.signatureMismatch(` (string to sign: ${JSON.stringify(stringToSign)})`)
const { accessDenied, unknownAccessKey: unknownKey } = ossErrors

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

function verifyV1(request: OssSignedRequest, authorization: string, accounts: ReadonlyMap<string, EmulatorAccount>): EmulatorAccount {
  const match = /^OSS ([^:\s]+):(\S+)$/.exec(authorization)
  if (!match) throw accessDenied('The Authorization header is malformed.')
  const account = accounts.get(match[1] ?? '')
  if (!account) throw unknownKey()
  const text = ossV1StringToSign(request)
  if (ossV1Signature(text, account.accessKeySecret) !== match[2]) throw signatureMismatch(text)
  return account
}

function verifyV4(request: OssSignedRequest, authorization: string, accounts: ReadonlyMap<string, EmulatorAccount>): EmulatorAccount {
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
  const additional = (fields.get('AdditionalHeaders') ?? '')
    .split(';')
    .filter((h) => h !== '')
    .map((h) => h.toLowerCase())
  const canonical = ossV4CanonicalRequest(request, additional)
  const text = ossV4StringToSign(canonical, timestamp, date, region)
  if (ossV4Signature(account.accessKeySecret, date, region, text) !== signature.toLowerCase()) throw signatureMismatch(`${text}\n\n${canonical}`)
  return account
}

/**
 * The account a signed request comes from, or undefined for an anonymous one (no Authorization).
 * Throws OssError for a bad date, an unknown key, a wrong signature or STS token.
 */
export function authenticateOss(request: OssSignedRequest, accounts: ReadonlyMap<string, EmulatorAccount>, now: number): EmulatorAccount | undefined {
  const authorization = request.headers.authorization
  if (authorization === undefined) return undefined
  const v4 = authorization.startsWith(`${V4_ALGORITHM} `)
  if (!v4 && !authorization.startsWith('OSS ')) throw accessDenied('Unsupported Authorization: use OSS (V1) or OSS4-HMAC-SHA256 (V4).')
  checkDate(v4 ? request.headers['x-oss-date'] : (request.headers['x-oss-date'] ?? request.headers.date), now)
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
