/** OSS multipart uploads on user buckets: Initiate, UploadPart, Complete, Abort (listing them: list-uploads.ts). */
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { rm } from 'node:fs/promises'
import { Readable } from 'node:stream'
import { readBody } from '../../server/http-util.js'
import { randomHex } from '../../state/ids.js'
import type { MultipartUpload, UploadedPart } from './buckets.js'
import { MAX_OBJECT_BYTES, receiveBody, refuseOverwrite, storeObject, type ObjectRequest } from './object-request.js'
import { writeObject } from '../storage/object-sink.js'
import { OssError, ossErrors, ossHeaders } from '../../server/responses.js'
import { toXml } from '../../server/xml.js'

/** OSS's limits: part numbers 1 to 10,000, parts up to 5 GB, every part but the last at least 100 KB. */
const MAX_PART_NUMBER = 10_000
const MAX_PART_BYTES = 5 * 1024 * 1024 * 1024
const MIN_PART_BYTES = 100 * 1024
/** A Complete body lists at most 10,000 short parts. */
const MAX_COMPLETE_BODY_BYTES = 2 * 1024 * 1024

const noSuchUpload = () =>
  new OssError(404, 'NoSuchUpload', 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.')

export function sendXml(request: ObjectRequest, root: string, body: Record<string, unknown>, extra: Record<string, string> = {}): number {
  const text = toXml(root, body)
  request.res.writeHead(200, { ...ossHeaders(request.requestId), ...extra, 'content-type': 'application/xml', 'content-length': Buffer.byteLength(text) })
  request.res.end(text)
  return 200
}

function findUpload(request: ObjectRequest): MultipartUpload {
  const upload = request.context.store.buckets.uploads.get(request.query.get('uploadId') ?? '')
  if (!upload || upload.bucket !== request.bucket || upload.key !== request.key) throw noSuchUpload()
  return upload
}

async function removeParts(upload: MultipartUpload): Promise<void> {
  await Promise.all([...upload.parts.values()].map((part) => rm(part.path, { force: true })))
}

export function initiateMultipartUpload(request: ObjectRequest): number {
  refuseOverwrite(request)
  const uploadId = randomHex(16).toUpperCase()
  request.context.store.buckets.uploads.set(uploadId, {
    uploadId,
    bucket: request.bucket,
    key: request.key,
    contentType: request.headers['content-type'] ?? 'application/octet-stream',
    initiated: new Date(),
    parts: new Map()
  })
  return sendXml(request, 'InitiateMultipartUploadResult', { Bucket: request.bucket, Key: request.key, UploadId: uploadId })
}

export async function uploadPart(request: ObjectRequest): Promise<number> {
  const upload = findUpload(request)
  const raw = request.query.get('partNumber') ?? ''
  const partNumber = /^\d{1,5}$/.test(raw) ? Number(raw) : 0
  if (partNumber < 1 || partNumber > MAX_PART_NUMBER) {
    throw new OssError(400, 'InvalidArgument', `Part number must be an integer between 1 and ${MAX_PART_NUMBER}, inclusive.`)
  }
  const written = await receiveBody(request, MAX_PART_BYTES)
  // An upload aborted while this part came in keeps nothing.
  if (!request.context.store.buckets.uploads.has(upload.uploadId)) {
    await rm(written.path, { force: true })
    throw noSuchUpload()
  }
  const previous = upload.parts.get(partNumber)
  upload.parts.set(partNumber, { path: written.path, size: written.size, md5: written.md5, crc64: written.crc64 })
  if (previous) await rm(previous.path, { force: true })
  request.res.writeHead(200, {
    ...ossHeaders(request.requestId),
    etag: `"${written.md5.toUpperCase()}"`,
    'x-oss-hash-crc64ecma': written.crc64,
    'content-length': 0
  })
  request.res.end()
  return 200
}

/** The parts a Complete body lists, in its order. */
function parseCompleteBody(xml: string): { partNumber: number; etag: string }[] {
  const parts = [...xml.matchAll(/<Part>([\s\S]*?)<\/Part>/g)].map((match) => {
    const body = match[1] ?? ''
    const number = /<PartNumber>\s*(\d+)\s*<\/PartNumber>/.exec(body)?.[1]
    const etag = /<ETag>([^<]*)<\/ETag>/.exec(body)?.[1]
    if (number === undefined || etag === undefined) throw malformedXml()
    return {
      partNumber: Number(number),
      etag: etag
        .replace(/&quot;|"/g, '')
        .trim()
        .toUpperCase()
    }
  })
  if (parts.length === 0) throw malformedXml()
  return parts
}

function malformedXml(): OssError {
  return new OssError(400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema.')
}

async function* concatenate(parts: readonly UploadedPart[]): AsyncGenerator<Buffer> {
  for (const part of parts) {
    for await (const chunk of createReadStream(part.path, { highWaterMark: 2 * 1024 * 1024 })) yield chunk as Buffer
  }
}

export async function completeMultipartUpload(request: ObjectRequest): Promise<number> {
  const upload = findUpload(request)
  const body = await readBody(request.req, MAX_COMPLETE_BODY_BYTES)
  if (body === undefined) throw malformedXml()
  const expectedMd5 = request.headers['content-md5']
  if (expectedMd5 !== undefined && expectedMd5 !== createHash('md5').update(body).digest('base64')) {
    throw ossErrors.invalidDigest()
  }
  const listed = parseCompleteBody(body.toString('utf8'))
  const parts = listed.map(({ partNumber, etag }, index) => {
    const previous = listed[index - 1]
    if (previous !== undefined && previous.partNumber >= partNumber) {
      throw new OssError(400, 'InvalidPartOrder', 'The list of parts was not in ascending order. Parts must be ordered by part number.')
    }
    const part = upload.parts.get(partNumber)
    if (!part || part.md5.toUpperCase() !== etag) {
      throw new OssError(
        400,
        'InvalidPart',
        "One or more of the specified parts could not be found or the specified entity tag might not have matched the part's entity tag."
      )
    }
    return part
  })
  if (parts.slice(0, -1).some((part) => part.size < MIN_PART_BYTES)) {
    throw ossErrors.entityTooSmall()
  }
  refuseOverwrite(request)

  const written = await writeObject(Readable.from(concatenate(parts)), request.context.store.buckets.filePath(), { maxBytes: MAX_OBJECT_BYTES, crc64: true })
  // A multipart ETag is the MD5 of the parts' binary MD5s, then "-" and the part count.
  const etagMd5 = createHash('md5')
    .update(Buffer.concat(parts.map((part) => Buffer.from(part.md5, 'hex'))))
    .digest('hex')
    .toUpperCase()
  const object = await storeObject(request, {
    ...written,
    etag: `"${etagMd5}-${parts.length}"`,
    contentType: upload.contentType,
    objectType: 'Multipart'
  })
  request.context.store.buckets.uploads.delete(upload.uploadId)
  await removeParts(upload)
  return sendXml(
    request,
    'CompleteMultipartUploadResult',
    { Location: `${request.context.urls.bucket(request.bucket)}/${request.key}`, Bucket: request.bucket, Key: request.key, ETag: object.etag },
    { etag: object.etag, 'x-oss-hash-crc64ecma': object.crc64 }
  )
}

export async function abortMultipartUpload(request: ObjectRequest): Promise<number> {
  const upload = findUpload(request)
  request.context.store.buckets.uploads.delete(upload.uploadId)
  await removeParts(upload)
  request.res.writeHead(204, ossHeaders(request.requestId))
  request.res.end()
  return 204
}
