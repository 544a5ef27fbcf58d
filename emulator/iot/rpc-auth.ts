import { ACS3_ALGORITHM, acs3CanonicalRequest, acs3Signature, parseAcs3Authorization } from '../signing/acs3.js'
import type { QueryPair } from '../signing/rfc3986.js'
import { rpcSignature, rpcStringToSign } from '../signing/rpc-v2.js'
import type { NonceCache } from '../server/nonce-cache.js'
import { isPermanentKey, type EmulatorAccount } from '../server/options.js'
import { gatewayErrors } from '../server/responses.js'

/** How far a request's timestamp may be off, and so how long a nonce must stay unique. */
export const REPLAY_WINDOW_MS = 15 * 60_000

export interface RpcAuthRequest {
  method: string
  /** Lower-case names. */
  headers: Readonly<Record<string, string>>
  /** The query as received, RFC 3986 decoded (a `+` is a plus): what V3 signs. */
  query: readonly QueryPair[]
  /** The form body's parameters (form decoding), when there is one. */
  form: readonly QueryPair[]
  /** Query and form body together, by name: what the operations read. */
  params: Readonly<Record<string, string>>
  /** Hex SHA-256 of the raw body, computed here, never taken from the client. */
  bodySha256: string
}

interface RpcAuthContext {
  accounts: ReadonlyMap<string, EmulatorAccount>
  nonces: NonceCache
  now: number
  /** The marketplace's samples carry no SignatureVersion; when one is sent it must still be 1.0. */
  signatureVersionOptional?: boolean
}

/** V3 signs with an Authorization header; anything else is treated as a V2 query signature. */
export function isV3(request: Pick<RpcAuthRequest, 'headers'>): boolean {
  return request.headers.authorization !== undefined
}

/** The AccessKeyId a request claims, for the request log; nothing is verified. */
export function claimedAccessKeyId(request: Pick<RpcAuthRequest, 'headers' | 'params'>): string | undefined {
  const authorization = request.headers.authorization
  if (authorization !== undefined) return parseAcs3Authorization(authorization)?.accessKeyId
  return request.params.AccessKeyId
}

/** Verifies the request as Alibaba's gateway does and returns the caller's account; throws a GatewayError. */
export function authenticateRpc(request: RpcAuthRequest, context: RpcAuthContext): EmulatorAccount {
  return isV3(request) ? authenticateV3(request, context) : authenticateV2(request, context)
}

function authenticateV3(request: RpcAuthRequest, context: RpcAuthContext): EmulatorAccount {
  const { headers } = request
  const auth = parseAcs3Authorization(headers.authorization ?? '')
  if (!auth) throw gatewayErrors.incompleteSignature('The Authorization header is malformed.')
  if (auth.algorithm !== ACS3_ALGORITHM) throw gatewayErrors.incompleteSignature(`Unsupported algorithm ${auth.algorithm}.`)
  for (const name of ['x-acs-date', 'x-acs-signature-nonce', 'x-acs-content-sha256']) {
    if (!headers[name]) throw gatewayErrors.incompleteSignature(`Header ${name} is missing.`)
  }
  // Unsigned x-acs-* headers could be altered in transit, so the gateway refuses them.
  const unsigned = Object.keys(headers).find((name) => (name === 'host' || name.startsWith('x-acs-')) && !auth.signedHeaders.includes(name))
  if (unsigned) throw gatewayErrors.incompleteSignature(`Header ${unsigned} must be listed in SignedHeaders.`)
  checkTimestamp(headers['x-acs-date'] ?? '', context.now)
  const account = findAccount(auth.accessKeyId, context)
  // The body hash is the emulator's own, so an x-acs-content-sha256 that differs from the body fails here.
  const canonical = acs3CanonicalRequest({ method: request.method, query: request.query, headers, bodySha256: request.bodySha256 }, auth.signedHeaders)
  const expected = acs3Signature(canonical, account.accessKeySecret)
  if (headers['x-acs-content-sha256'] !== request.bodySha256 || expected.signature !== auth.signature.toLowerCase()) {
    throw gatewayErrors.signatureDoesNotMatch(expected.stringToSign)
  }
  checkSecurityToken(account, headers['x-acs-security-token'])
  rememberNonce(account, headers['x-acs-signature-nonce'] ?? '', context)
  return account
}

const V2_REQUIRED = ['AccessKeyId', 'Signature', 'SignatureMethod', 'SignatureVersion', 'SignatureNonce', 'Timestamp']

function authenticateV2(request: RpcAuthRequest, context: RpcAuthContext): EmulatorAccount {
  const { params } = request
  const optional = context.signatureVersionOptional === true
  for (const name of V2_REQUIRED) if (!params[name] && !(optional && name === 'SignatureVersion')) throw gatewayErrors.missing(name)
  if (params.SignatureMethod !== 'HMAC-SHA1') throw gatewayErrors.invalid('SignatureMethod')
  if (params.SignatureVersion !== '1.0' && !(optional && params.SignatureVersion === undefined)) throw gatewayErrors.invalid('SignatureVersion')
  checkTimestamp(params.Timestamp ?? '', context.now)
  const account = findAccount(params.AccessKeyId ?? '', context)
  // Every parameter as received, query and body, is signed.
  const stringToSign = rpcStringToSign(request.method, [...request.query, ...request.form])
  if (rpcSignature(stringToSign, account.accessKeySecret) !== params.Signature) throw gatewayErrors.signatureDoesNotMatch(stringToSign)
  checkSecurityToken(account, params.SecurityToken)
  rememberNonce(account, params.SignatureNonce ?? '', context)
  return account
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/

/** `YYYY-MM-DDThh:mm:ssZ` (UTC, no milliseconds), within the replay window of now. */
function checkTimestamp(value: string, now: number): void {
  const time = TIMESTAMP.test(value) ? Date.parse(value) : NaN
  // Date.parse rolls 2024-02-30 over to March; a round trip catches impossible dates.
  if (Number.isNaN(time) || new Date(time).toISOString().replace('.000Z', 'Z') !== value) throw gatewayErrors.timestampFormat()
  if (Math.abs(now - time) > REPLAY_WINDOW_MS) throw gatewayErrors.timestampExpired()
}

function findAccount(accessKeyId: string, context: RpcAuthContext): EmulatorAccount {
  const account = context.accounts.get(accessKeyId)
  if (!account) throw gatewayErrors.accessKeyNotFound()
  return account
}

/** An STS key is only valid with its token, and a permanent key carries none. */
function checkSecurityToken(account: EmulatorAccount, token: string | undefined): void {
  // A gateway that checks token and key together: a permanent key (LTAI…) never comes with a token.
  if (token && isPermanentKey(account.accessKeyId)) throw gatewayErrors.tokenMismatch()
  if (account.securityToken === undefined) {
    if (token) throw gatewayErrors.tokenMismatch()
    return
  }
  if (!token) throw gatewayErrors.missing('SecurityToken')
  if (token !== account.securityToken) throw gatewayErrors.tokenMismatch()
}

function rememberNonce(account: EmulatorAccount, nonce: string, context: RpcAuthContext): void {
  if (!context.nonces.remember(`${account.accessKeyId}\n${nonce}`, context.now)) throw gatewayErrors.nonceUsed()
}
