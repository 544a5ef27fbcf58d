import type { OssTarget } from '../../config/upload-settings.js'

/** A key as it goes into a URL path: each segment percent-encoded, the `/` between them kept. */
function encodeObjectKey(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/')
}

/**
 * The object's URL, as FirmwareUrl: virtual-hosted (`https://bucket.oss-cn-shanghai.aliyuncs.com/key`)
 * as OSS serves buckets, or path-style (`http://127.0.0.1:8787/bucket/key`) for IP endpoints.
 */
export function objectUrl(target: Pick<OssTarget, 'bucket' | 'endpoint' | 'pathStyle'>, key: string): string {
  const base = new URL(target.endpoint)
  const path = encodeObjectKey(key)
  if (target.pathStyle) return `${base.origin}/${target.bucket}/${path}`
  return `${base.protocol}//${target.bucket}.${base.host}/${path}`
}
