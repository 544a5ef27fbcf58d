/**
 * The RPC query signature (`SignatureVersion=1.0`, HMAC-SHA1) of the IoT API and of the marketplace
 * variant, over every parameter received (query and form body) but `Signature`.
 */
import { hmacSha1Base64 } from './hmac.js'
import { canonicalQuery, pe, type QueryPair } from './rfc3986.js'

export function rpcStringToSign(method: string, params: readonly QueryPair[]): string {
  const signed = params.filter(([name]) => name !== 'Signature')
  return `${method.toUpperCase()}&${pe('/')}&${pe(canonicalQuery(signed))}`
}

/** base64(HMAC-SHA1(secret + "&", stringToSign)). */
export function rpcSignature(stringToSign: string, accessKeySecret: string): string {
  return hmacSha1Base64(`${accessKeySecret}&`, stringToSign)
}
