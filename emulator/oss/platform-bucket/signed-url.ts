import { ossV1Signature } from '../../signing/oss.js'
import type { OssKey } from './policy.js'
import { ossErrors } from '../../server/responses.js'
import { PLATFORM_BUCKET } from '../bucket-names.js'

/** The V1 string to sign of a download URL: GET, no MD5 or type, the expiry, the resource. */
function stringToSign(key: string, expires: string): string {
  return `GET\n\n\n${expires}\n/${PLATFORM_BUCKET}/${key}`
}

/** A time-limited download URL, as QueryOTAFirmware hands out: `?Expires=…&OSSAccessKeyId=…&Signature=…`. */
export function signObjectUrl(objectUrl: string, key: string, expiresAtSeconds: number, ossKey: OssKey): string {
  const expires = String(expiresAtSeconds)
  const signature = ossV1Signature(stringToSign(key, expires), ossKey.accessKeySecret)
  return `${objectUrl}?Expires=${expires}&OSSAccessKeyId=${encodeURIComponent(ossKey.accessKeyId)}&Signature=${encodeURIComponent(signature)}`
}

/** Checks a signed download URL's query; a URL without any of the three parameters is left to the caller. */
export function checkObjectUrlSignature(query: ReadonlyMap<string, string>, key: string, ossKey: OssKey, now: number): void {
  const expires = query.get('Expires')
  const accessKeyId = query.get('OSSAccessKeyId')
  const signature = query.get('Signature')
  if (expires === undefined || accessKeyId === undefined || signature === undefined) {
    throw ossErrors.accessDenied('Expires, OSSAccessKeyId and Signature must be given together.')
  }
  if (accessKeyId !== ossKey.accessKeyId) {
    throw ossErrors.unknownAccessKey()
  }
  if (ossV1Signature(stringToSign(key, expires), ossKey.accessKeySecret) !== signature) {
    throw ossErrors.signatureMismatch()
  }
  if (!/^\d+$/.test(expires) || Number(expires) * 1000 < now) throw ossErrors.accessDenied('Request has expired.')
}
