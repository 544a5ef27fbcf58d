import { API_VERSION } from '../rules.js'
import { EMPTY_BODY_SHA256, signAcs3 } from '../signing/acs3.js'
import { canonicalQuery } from '../signing/percent-encode.js'
import { type Dialect, isoSeconds, rpcUrl } from './dialect.js'

/**
 * Alibaba's IoT Platform, the way the official SDK calls it: `/` with the operation's declared
 * method (POST for most, GET for ListOTAModuleByProduct), every parameter in the query string, an
 * empty body and the V3 (ACS3-HMAC-SHA256) Authorization header. `IotInstanceId` goes on every call
 * when the instance has one.
 */
export function acs3Dialect(iotInstanceId?: string): Dialect {
  return ({ action, method, params, base, credentials, now, nonce }) => {
    const query = iotInstanceId === undefined ? params : { ...params, IotInstanceId: iotInstanceId }
    const headers: Record<string, string> = {
      host: base.host,
      'x-acs-action': action,
      'x-acs-version': API_VERSION,
      'x-acs-date': isoSeconds(now),
      'x-acs-signature-nonce': nonce,
      'x-acs-content-sha256': EMPTY_BODY_SHA256,
      accept: 'application/json'
    }
    if (credentials.securityToken) headers['x-acs-security-token'] = credentials.securityToken
    const signed = signAcs3({ method, path: '/', query, headers, bodySha256: EMPTY_BODY_SHA256 }, credentials.accessKeyId, credentials.accessKeySecret)
    headers.authorization = signed.authorization
    return { method, url: rpcUrl(base, canonicalQuery(query)), headers, signature: signed.signature }
  }
}
