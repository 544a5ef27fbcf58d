import { createHmac } from 'node:crypto'
import { percentEncode } from './percent-encode.js'

/**
 * Alibaba Cloud's older RPC query signature (`SignatureVersion=1.0`, HMAC-SHA1). The action signs
 * with V3; the emulator verifies this one too because other clients still send it.
 */
export function stringToSignV2(method: string, params: Readonly<Record<string, string>>): string {
  const canonical = Object.keys(params)
    .filter((name) => name !== 'Signature')
    .sort()
    .map((name) => `${percentEncode(name)}=${percentEncode(params[name] ?? '')}`)
    .join('&')
  return `${method.toUpperCase()}&${percentEncode('/')}&${percentEncode(canonical)}`
}

export function signV2(
  method: string,
  params: Readonly<Record<string, string>>,
  accessKeySecret: string
): string {
  return createHmac('sha1', `${accessKeySecret}&`)
    .update(stringToSignV2(method, params))
    .digest('base64')
}
