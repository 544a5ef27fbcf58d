import { createHmac } from 'node:crypto'

/** Signature of an OSS PostObject policy: base64(HMAC-SHA1(secret, base64Policy)), no `&` on the key. */
export function signOssPolicy(base64Policy: string, accessKeySecret: string): string {
  return createHmac('sha1', accessKeySecret).update(base64Policy).digest('base64')
}
