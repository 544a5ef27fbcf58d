import { hmacSha1Base64 } from './hmac.js'

/** Signature of an OSS PostObject policy: base64(HMAC-SHA1(secret, base64Policy)), no `&` on the key. */
export function signOssPolicy(base64Policy: string, accessKeySecret: string): string {
  return hmacSha1Base64(accessKeySecret, base64Policy)
}
