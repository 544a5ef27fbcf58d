/** The multipart loop's requests on the bucket object, through ali-oss's primitives, each retried on its own. */
import type OSS from 'ali-oss'
import { createReadStream } from 'node:fs'
import type { Artifact } from '../../files/artifact.js'
import type { FileFingerprint } from '../../files/fingerprint.js'
import { TransportError } from '../../net/transport.js'
import type { BucketObject } from './bucket-object.js'
import { errorCode, toOssError } from './errors.js'
import type { MultipartRequests } from './multipart.js'
import type { OpenUpload } from './open-uploads.js'
import type { CompletedPart, PartRange } from './parts.js'

/** Never overwrite: OSS checks it at Initiate and again at Complete, when the object appears. */
const FORBID_OVERWRITE = { 'x-oss-forbid-overwrite': 'true' }
/** ListMultipartUploads pages: OSS's largest. */
const MAX_UPLOADS = 1000
/** Pages of other uploads of the key before the listing gives up (each 1,000 uploads). */
const MAX_PAGES = 10

/** A stopped upload sends nothing more: not retried, and not taken for an unknown outcome. */
function stopped(): TransportError {
  return new TransportError('multipart upload stopped', 'aborted', false)
}

/** One part, its range streamed from the file (read afresh on each attempt, never buffered); cut when `stop` fires. */
async function sendPart(oss: OSS, object: BucketObject, uploadId: string, part: PartRange, path: string, stop: AbortSignal): Promise<string> {
  if (stop.aborted) throw stopped()
  const stream = createReadStream(path, { start: part.start, end: part.end - 1 })
  const cut = (): void => void stream.destroy(new Error('multipart upload stopped'))
  stop.addEventListener('abort', cut, { once: true })
  try {
    const answer = await oss.uploadPart(object.key, uploadId, part.number, stream, part.start, part.end, { timeout: object.timeoutFor(part.end - part.start) })
    return answer.etag
  } catch (error) {
    throw stop.aborted ? stopped() : error
  } finally {
    stop.removeEventListener('abort', cut)
    stream.destroy()
  }
}

/** The key's open uploads (the listing by prefix also holds longer keys, and pages past 1,000). */
async function listKey(oss: OSS, object: BucketObject): Promise<{ uploads: OpenUpload[]; date?: string; answeredAt: number }> {
  const uploads: OpenUpload[] = []
  let marker: { 'key-marker'?: string; 'upload-id-marker'?: string } = {}
  for (let page = 1; ; page++) {
    const answer = await oss.listUploads({ prefix: object.key, 'max-uploads': MAX_UPLOADS, ...marker }, { timeout: object.options.requestTimeoutMs })
    const answeredAt = object.options.now()
    uploads.push(...answer.uploads.map((u) => ({ key: u.name, uploadId: u.uploadId, initiated: String(u.initiated) })))
    const next = answer.nextKeyMarker as unknown
    // Past the key's own uploads (sorted by key), further pages hold longer keys only.
    if (!answer.isTruncated || next !== object.key || page === MAX_PAGES) {
      const date = (answer.res.headers as Record<string, unknown>).date
      return { uploads, date: typeof date === 'string' ? date : undefined, answeredAt }
    }
    marker = { 'key-marker': object.key, 'upload-id-marker': String(answer.nextUploadIdMarker) }
  }
}

/** The requests of `uploadInParts` for `artifact` on `object`. */
export function partRequests(object: BucketObject, artifact: Artifact, fp: FileFingerprint): MultipartRequests {
  const { key, location } = object
  const timeout = object.options.requestTimeoutMs
  return {
    initiate: (stop, onUnknown) =>
      object.send(
        'InitiateMultipartUpload',
        async (oss) => {
          if (stop.aborted) throw stopped()
          return (await oss.initMultipartUpload(key, { timeout, headers: FORBID_OVERWRITE })).uploadId
        },
        { onUnknown }
      ),
    uploadPart: (uploadId, part, total, stop) =>
      object.send('UploadPart', (oss) => sendPart(oss, object, uploadId, part, artifact.path, stop), {
        what: `UploadPart ${part.number} of ${total} to ${location}`
      }),
    complete: (uploadId: string, parts: readonly CompletedPart[], stop: AbortSignal) =>
      object.send('CompleteMultipartUpload', async (oss, earlierUnknown) => {
        if (stop.aborted) throw stopped()
        try {
          await oss.completeMultipartUpload(key, uploadId, [...parts], { timeout, headers: FORBID_OVERWRITE })
          return undefined
        } catch (error) {
          // An earlier attempt whose answer was lost may have completed it: the loop looks at the object.
          if (earlierUnknown && errorCode(error) === 'NoSuchUpload') return toOssError('CompleteMultipartUpload', error)
          throw error
        }
      }),
    abort: (uploadId) =>
      object.send('AbortMultipartUpload', async (oss) => {
        try {
          await oss.abortMultipartUpload(key, uploadId, { timeout })
        } catch (error) {
          // Gone already (an earlier attempt whose answer was lost aborted it): what an abort is for.
          if (errorCode(error) !== 'NoSuchUpload') throw error
        }
      }),
    listOpen: () => object.send('ListMultipartUploads', (oss) => listKey(oss, object)),
    holdsFile: () => object.holds(fp)
  }
}
