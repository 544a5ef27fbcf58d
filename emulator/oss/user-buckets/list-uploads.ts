/**
 * ListMultipartUploads (`GET /?uploads` on a bucket): the multipart uploads initiated and neither
 * completed nor aborted, as OSS lists them, so that a client (or a test) can see what a failed
 * upload left open.
 */
import { OssError } from '../../server/responses.js'
import type { MultipartUpload } from './buckets.js'
import { sendXml } from './multipart.js'
import type { ObjectRequest } from './object-request.js'

/** OSS's default and largest page. */
const MAX_UPLOADS = 1000

interface ListQuery {
  prefix: string
  delimiter: string
  keyMarker: string
  uploadIdMarker: string
  maxUploads: number
  urlEncoding: boolean
}

function readQuery(query: ReadonlyMap<string, string>): ListQuery {
  const raw = query.get('max-uploads')
  const maxUploads = raw === undefined ? MAX_UPLOADS : /^\d{1,4}$/.test(raw) ? Number(raw) : 0
  if (maxUploads < 1 || maxUploads > MAX_UPLOADS) throw new OssError(400, 'InvalidArgument', `max-uploads must be between 1 and ${MAX_UPLOADS}.`)
  const encoding = query.get('encoding-type')
  if (encoding !== undefined && encoding !== 'url') throw new OssError(400, 'InvalidArgument', 'encoding-type must be url.')
  return {
    prefix: query.get('prefix') ?? '',
    delimiter: query.get('delimiter') ?? '',
    keyMarker: query.get('key-marker') ?? '',
    uploadIdMarker: query.get('upload-id-marker') ?? '',
    maxUploads,
    urlEncoding: encoding === 'url'
  }
}

/** By key, then by initiation (OSS's order); after the markers: a later key, or the marker's key with a later UploadId. */
function candidates(uploads: Iterable<MultipartUpload>, bucket: string, q: ListQuery): MultipartUpload[] {
  const afterMarker = (u: MultipartUpload) =>
    q.keyMarker === '' || u.key > q.keyMarker || (u.key === q.keyMarker && q.uploadIdMarker !== '' && u.uploadId > q.uploadIdMarker)
  return [...uploads]
    .filter((u) => u.bucket === bucket && u.key.startsWith(q.prefix) && afterMarker(u))
    .sort((a, b) => (a.key === b.key ? a.initiated.getTime() - b.initiated.getTime() : a.key < b.key ? -1 : 1))
}

/** The page: uploads, and the common prefixes the delimiter rolls keys into (each counts as one entry). */
function page(uploads: readonly MultipartUpload[], q: ListQuery): { listed: MultipartUpload[]; prefixes: string[]; truncated: boolean } {
  const listed: MultipartUpload[] = []
  const prefixes: string[] = []
  for (const upload of uploads) {
    const cut = q.delimiter === '' ? -1 : upload.key.indexOf(q.delimiter, q.prefix.length)
    const common = cut < 0 ? undefined : upload.key.slice(0, cut + q.delimiter.length)
    if (common !== undefined && prefixes.includes(common)) continue
    if (listed.length + prefixes.length === q.maxUploads) return { listed, prefixes, truncated: true }
    if (common === undefined) listed.push(upload)
    else prefixes.push(common)
  }
  return { listed, prefixes, truncated: false }
}

export function listMultipartUploads(request: ObjectRequest): number {
  const q = readQuery(request.query)
  const { listed, prefixes, truncated } = page(candidates(request.context.store.buckets.uploads.values(), request.bucket, q), q)
  const text = (value: string) => (q.urlEncoding ? encodeURIComponent(value) : value)
  const last = listed.at(-1)
  return sendXml(request, 'ListMultipartUploadsResult', {
    Bucket: request.bucket,
    ...(q.urlEncoding && { EncodingType: 'url' }),
    KeyMarker: text(q.keyMarker),
    UploadIdMarker: q.uploadIdMarker,
    NextKeyMarker: text(last?.key ?? ''),
    NextUploadIdMarker: last?.uploadId ?? '',
    Delimiter: text(q.delimiter),
    Prefix: text(q.prefix),
    MaxUploads: q.maxUploads,
    IsTruncated: truncated,
    Upload: listed.map((u) => ({ Key: text(u.key), UploadId: u.uploadId, Initiated: u.initiated.toISOString() })),
    CommonPrefixes: prefixes.map((prefix) => ({ Prefix: text(prefix) }))
  })
}
