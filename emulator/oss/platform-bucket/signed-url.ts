import { signOssPolicy } from '../../signing/oss-policy.js'
import type { OssKey } from './policy.js'
import { OssError } from '../../server/responses.js'
import { BUCKET } from '../../state/store.js'

/** OSS V1 URL signatures use the same base64(HMAC-SHA1(secret, text)) as policies, over this text. */
function stringToSign(key: string, expires: string): string {
  return `GET\n\n\n${expires}\n/${BUCKET}/${key}`
}

/** A time-limited download URL, as QueryOTAFirmware hands out: `?Expires=…&OSSAccessKeyId=…&Signature=…`. */
export function signObjectUrl(objectUrl: string, key: string, expiresAtSeconds: number, ossKey: OssKey): string {
  const expires = String(expiresAtSeconds)
  const signature = signOssPolicy(stringToSign(key, expires), ossKey.accessKeySecret)
  return `${objectUrl}?Expires=${expires}&OSSAccessKeyId=${encodeURIComponent(ossKey.accessKeyId)}&Signature=${encodeURIComponent(signature)}`
}

/** Checks a signed download URL's query; a URL without any of the three parameters is left to the caller. */
export function checkObjectUrlSignature(query: URLSearchParams, key: string, ossKey: OssKey, now: number): void {
  const expires = query.get('Expires')
  const accessKeyId = query.get('OSSAccessKeyId')
  const signature = query.get('Signature')
  if (expires === null || accessKeyId === null || signature === null) {
    throw new OssError(403, 'AccessDenied', 'Expires, OSSAccessKeyId and Signature must be given together.')
  }
  if (accessKeyId !== ossKey.accessKeyId) {
    throw new OssError(403, 'InvalidAccessKeyId', 'The OSS Access Key Id you provided does not exist in our records.')
  }
  if (signOssPolicy(stringToSign(key, expires), ossKey.accessKeySecret) !== signature) {
    throw new OssError(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.')
  }
  if (!/^\d+$/.test(expires) || Number(expires) * 1000 < now) throw new OssError(403, 'AccessDenied', 'Request has expired.')
}
