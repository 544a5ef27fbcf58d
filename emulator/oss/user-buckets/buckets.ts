import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { randomHex } from '../../state/ids.js'
import type { StoredObject } from '../../state/store.js'
import { BUCKET_NAME, PLATFORM_BUCKET } from '../bucket-names.js'
import { decodeKey, isServedHost, ossAddress } from '../addressing.js'
import type { EmulatorContext } from '../../server/context.js'

/** An object in a user bucket, with what HeadObject answers. */
export interface BucketObject extends StoredObject {
  /** Decimal CRC-64/ECMA-182, as `x-oss-hash-crc64ecma`. */
  crc64: string
  /** Quoted, as OSS sends it: the upper-case MD5 for PutObject, `"<MD5 of part MD5s>-<parts>"` for multipart. */
  etag: string
  contentType: string
  /** `Normal` (PutObject) or `Multipart`. */
  objectType: 'Normal' | 'Multipart'
  modified: Date
}

/** One uploaded part of a multipart upload. */
export interface UploadedPart {
  path: string
  size: number
  /** Lower-case hex. */
  md5: string
  crc64: string
}

/** An InitiateMultipartUpload not yet completed or aborted. */
export interface MultipartUpload {
  uploadId: string
  bucket: string
  key: string
  contentType: string
  /** When InitiateMultipartUpload made it (ListMultipartUploads' `Initiated`). */
  initiated: Date
  parts: Map<number, UploadedPart>
}

/**
 * The user buckets (every bucket but the platform's `iotx-ota`), their objects and unfinished
 * multipart uploads. Files live under `<dataDir>/buckets` under random names, so keys never become
 * paths.
 */
export class BucketStore {
  /** Buckets written to so far, or all that exist when the `buckets` option lists them. */
  readonly names = new Set<string>()
  /** By `bucket/key`. */
  readonly objects = new Map<string, BucketObject>()
  readonly uploads = new Map<string, MultipartUpload>()

  constructor(
    readonly dataDir: string,
    /** Set: only these buckets exist. Unset: any bucket exists once written to. */
    private readonly configured: ReadonlySet<string> | undefined
  ) {
    for (const name of configured ?? []) this.names.add(name)
  }

  /** Whether requests to this bucket find it (written to, configured, or creatable on first use). */
  exists(bucket: string): boolean {
    return this.configured === undefined || this.configured.has(bucket)
  }

  get(bucket: string, key: string): BucketObject | undefined {
    return this.objects.get(`${bucket}/${key}`)
  }

  put(object: BucketObject): void {
    this.names.add(object.bucket)
    this.objects.set(`${object.bucket}/${object.key}`, object)
  }

  delete(bucket: string, key: string): BucketObject | undefined {
    const object = this.get(bucket, key)
    this.objects.delete(`${bucket}/${key}`)
    return object
  }

  /** A fresh path for an object's or a part's bytes. */
  filePath(): string {
    return join(this.dataDir, 'buckets', randomHex(16))
  }

  reset(): void {
    this.objects.clear()
    this.uploads.clear()
    this.names.clear()
    for (const name of this.configured ?? []) this.names.add(name)
    rmSync(join(this.dataDir, 'buckets'), { recursive: true, force: true })
  }
}

/**
 * What a URL names among the user buckets: `undefined` when it is no user-bucket URL of this
 * emulator (its own address, or a name under its host name), else the object, if there is one. The
 * URL is read as a request for it would be: bucket from the host first, then path-style.
 */
export function objectAtUrl(context: EmulatorContext, url: string): { object: BucketObject | undefined } | undefined {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return undefined
  }
  const { hostName } = context.settings
  if (!isServedHost(parsed.host, new URL(context.url).host, hostName)) return undefined
  const { bucket, rawKey } = ossAddress(parsed.host, parsed.pathname, hostName)
  if (!BUCKET_NAME.test(bucket) || bucket === PLATFORM_BUCKET || rawKey === '') return undefined
  const key = decodeKey(rawKey)
  if (key === undefined) return undefined
  return { object: context.store.buckets.get(bucket, key) }
}
