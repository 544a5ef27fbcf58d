import { createHmac } from 'node:crypto'

/** base64(HMAC-SHA1(key, text)): RPC V2, OSS V1 headers, URLs and PostObject policies. */
export function hmacSha1Base64(key: string, text: string): string {
  return createHmac('sha1', key).update(Buffer.from(text, 'utf8')).digest('base64')
}
