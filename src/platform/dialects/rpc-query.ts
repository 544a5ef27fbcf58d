import { API_VERSION } from '../rules.js'
import { canonicalQuery, percentEncode } from '../signing/percent-encode.js'
import { signV2 } from '../signing/rpc-v2.js'
import { type Dialect, isoSeconds, rpcUrl } from './dialect.js'

/**
 * The marketplace variant's gateway (Tuya's IoT on Alibaba Cloud instances): GET `/` with every
 * parameter in the query string, signed with the RPC HMAC-SHA1 query signature. The samples send
 * Action, SignatureNonce, AccessKeyId, SignatureMethod and Timestamp; Version and SignatureVersion
 * are sent too, because the variant's common-parameters page requires them and a gateway that signs
 * what it receives (as its signature page says) takes them either way. No RegionId, no IotInstanceId.
 */
export function rpcQueryDialect(): Dialect {
  return ({ action, params, base, credentials, now, nonce }) => {
    const query: Record<string, string> = {
      ...params,
      Action: action,
      AccessKeyId: credentials.accessKeyId,
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: nonce,
      SignatureVersion: '1.0',
      Timestamp: isoSeconds(now),
      Version: API_VERSION
    }
    if (credentials.securityToken) query.SecurityToken = credentials.securityToken
    const signature = signV2('GET', query, credentials.accessKeySecret)
    // The Signature parameter follows the canonical query it signs, so the wire carries exactly that string.
    return {
      method: 'GET',
      url: rpcUrl(base, `${canonicalQuery(query)}&Signature=${percentEncode(signature)}`),
      headers: { accept: 'application/json' },
      signature
    }
  }
}
