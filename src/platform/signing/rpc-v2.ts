import { createHmac } from 'node:crypto'
import { canonicalQuery, percentEncode } from './percent-encode.js'

/**
 * Alibaba Cloud's older RPC query signature (`SignatureVersion=1.0`, HMAC-SHA1): what the
 * marketplace variant's gateway documents, and what older Alibaba clients still send.
 */
export function stringToSignV2(method: string, params: Readonly<Record<string, string>>): string {
  const { Signature: _notSigned, ...signed } = params
  return `${method.toUpperCase()}&${percentEncode('/')}&${percentEncode(canonicalQuery(signed))}`
}

export function signV2(method: string, params: Readonly<Record<string, string>>, accessKeySecret: string): string {
  return createHmac('sha1', `${accessKeySecret}&`).update(stringToSignV2(method, params)).digest('base64')
}
