/**
 * The OSS REST object operations on user buckets, path-style (`/<bucket>/<key>`), as ali-oss
 * calls them: PutObject, HeadObject, GetObjectMeta, GetObject, DeleteObject and the multipart
 * operations (in oss-multipart.ts). Signatures (V1 and V4) are verified; anonymous requests may
 * read (the buckets are public-read, as firmware buckets devices download from usually are).
 */
import { createReadStream } from 'node:fs'
import { rm } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { pipeline } from 'node:stream/promises'
import { finishRequest, pause, type EmulatorContext } from '../../server/context.js'
import { flattenHeaders, requestDone } from '../../server/http-util.js'
import { newOssRequestId } from '../../state/ids.js'
import { authenticateOss, claimedOssAccessKeyId } from './auth.js'
import type { BucketObject } from './buckets.js'
import { parseRange } from '../platform-bucket/get-object.js'
import { abortMultipartUpload, completeMultipartUpload, initiateMultipartUpload, uploadPart } from './multipart.js'
import { ClientGone, MAX_OBJECT_BYTES, refuseOverwrite, storeObject, type ObjectRequest } from './object-request.js'
import { writeObjectFile } from '../storage/write-object.js'
import { OssError, ossHeaders, sendOssError } from '../../server/responses.js'
import type { RequestRecord } from '../../state/store.js'

const BUCKET_NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/

/** The operation a request is, by method and sub-resources; undefined for what the emulator does not serve. */
function operationOf(method: string, query: ReadonlyMap<string, string>): string | undefined {
  const sub = [...query.keys()].filter((name) => !name.startsWith('x-oss-') && name !== 'versionId')
  const only = (...names: string[]) => sub.length === names.length && names.every((n) => query.has(n))
  if (method === 'PUT') return only() ? 'PutObject' : only('partNumber', 'uploadId') ? 'UploadPart' : undefined
  if (method === 'HEAD') return only() ? 'HeadObject' : only('objectMeta') ? 'GetObjectMeta' : undefined
  if (method === 'GET') return only() || sub.every((n) => n.startsWith('response-')) ? 'GetObject' : undefined
  if (method === 'POST') return only('uploads') ? 'InitiateMultipartUpload' : only('uploadId') ? 'CompleteMultipartUpload' : undefined
  if (method === 'DELETE') return only() ? 'DeleteObject' : only('uploadId') ? 'AbortMultipartUpload' : undefined
  return undefined
}

const READS = new Set(['HeadObject', 'GetObjectMeta', 'GetObject'])

/** HeadObject's and GetObject's headers for a stored object. */
function objectHeaders(object: BucketObject, requestId: string): Record<string, string | number> {
  return {
    ...ossHeaders(requestId),
    'content-type': object.contentType,
    'content-length': object.size,
    etag: object.etag,
    'last-modified': object.modified.toUTCString(),
    'accept-ranges': 'bytes',
    'x-oss-object-type': object.objectType,
    'x-oss-storage-class': 'Standard',
    'x-oss-hash-crc64ecma': object.crc64,
    // OSS gives Content-MD5 for objects written in one piece only.
    ...(object.objectType === 'Normal' && { 'content-md5': Buffer.from(object.md5, 'hex').toString('base64') })
  }
}

function noSuchKey(): OssError {
  return new OssError(404, 'NoSuchKey', 'The specified key does not exist.')
}

async function putObject(request: ObjectRequest): Promise<number> {
  const { req, res, headers, context } = request
  refuseOverwrite(request)
  let written
  try {
    written = await writeObjectFile(req, context.store.buckets.filePath(), MAX_OBJECT_BYTES)
  } catch (error) {
    if (error instanceof OssError) throw error
    throw new ClientGone()
  }
  const contentMd5 = Buffer.from(written.md5, 'hex').toString('base64')
  if (headers['content-md5'] !== undefined && headers['content-md5'] !== contentMd5) {
    await rm(written.path, { force: true })
    throw new OssError(400, 'InvalidDigest', 'The Content-MD5 you specified is not valid.')
  }
  try {
    // Checked again: another writer may have finished while these bytes came in.
    refuseOverwrite(request)
  } catch (error) {
    await rm(written.path, { force: true })
    throw error
  }
  const object = await storeObject(request, {
    ...written,
    etag: `"${written.md5.toUpperCase()}"`,
    contentType: headers['content-type'] ?? 'application/octet-stream',
    objectType: 'Normal'
  })
  res.writeHead(200, {
    ...ossHeaders(request.requestId),
    etag: object.etag,
    'content-md5': contentMd5,
    'x-oss-hash-crc64ecma': object.crc64,
    'content-length': 0
  })
  res.end()
  return 200
}

function headObject(request: ObjectRequest, metaOnly: boolean): number {
  const object = request.context.store.buckets.get(request.bucket, request.key)
  if (!object) throw noSuchKey()
  // GetObjectMeta answers the basics only.
  const basics = { ...ossHeaders(request.requestId), 'content-length': object.size, etag: object.etag, 'last-modified': object.modified.toUTCString() }
  request.res.writeHead(200, metaOnly ? basics : objectHeaders(object, request.requestId))
  request.res.end()
  return 200
}

async function getObject(request: ObjectRequest): Promise<number> {
  const object = request.context.store.buckets.get(request.bucket, request.key)
  if (!object) throw noSuchKey()
  const range = parseRange(request.headers.range, object.size)
  const status = range ? 206 : 200
  request.res.writeHead(status, {
    ...objectHeaders(object, request.requestId),
    'content-length': range ? range.end - range.start + 1 : object.size,
    ...(range && { 'content-range': `bytes ${range.start}-${range.end}/${object.size}` })
  })
  await pipeline(createReadStream(object.path, range), request.res).catch(() => undefined)
  return status
}

async function deleteObject(request: ObjectRequest): Promise<number> {
  const removed = request.context.store.buckets.delete(request.bucket, request.key)
  if (removed) await rm(removed.path, { force: true })
  // OSS answers 204 whether or not the object existed.
  request.res.writeHead(204, ossHeaders(request.requestId))
  request.res.end()
  return 204
}

const OPERATIONS: Readonly<Record<string, (request: ObjectRequest) => number | Promise<number>>> = {
  PutObject: putObject,
  HeadObject: (r) => headObject(r, false),
  GetObjectMeta: (r) => headObject(r, true),
  GetObject: getObject,
  DeleteObject: deleteObject,
  InitiateMultipartUpload: initiateMultipartUpload,
  UploadPart: uploadPart,
  CompleteMultipartUpload: completeMultipartUpload,
  AbortMultipartUpload: abortMultipartUpload
}

/** Splits `/<bucket>/<key>`; the key is decoded. */
function parsePath(pathname: string): { bucket: string; key: string } {
  const rest = pathname.slice(1)
  const slash = rest.indexOf('/')
  if (slash < 0) return { bucket: rest, key: '' }
  try {
    return { bucket: rest.slice(0, slash), key: decodeURIComponent(rest.slice(slash + 1)) }
  } catch {
    throw new OssError(400, 'InvalidObjectName', 'The specified object is not valid.')
  }
}

/** Keys OSS accepts: 1 to 1,023 bytes, not starting with `/` or `\`. */
function checkKey(key: string): void {
  if (key === '') throw new OssError(501, 'NotImplemented', 'The emulator serves object operations only, not bucket operations.')
  if (Buffer.byteLength(key) > 1023 || key.startsWith('/') || key.startsWith('\\')) {
    throw new OssError(400, 'InvalidObjectName', 'The specified object is not valid.')
  }
}

/** A request to `/<bucket>[/<key>]` for any bucket but the platform's. */
export async function handleBucketRequest(req: IncomingMessage, res: ServerResponse, context: EmulatorContext, url: URL): Promise<void> {
  const requestId = newOssRequestId()
  const query = new Map(url.searchParams.entries())
  const method = req.method ?? 'GET'
  const action = operationOf(method, query)
  const record: RequestRecord = { action: action ?? `${method} ${url.pathname}`, status: 0, at: Date.now(), accessKeyId: claimedOssAccessKeyId(req.headers.authorization) }
  try {
    const { bucket, key } = parsePath(url.pathname)
    if (!BUCKET_NAME.test(bucket)) throw new OssError(400, 'InvalidBucketName', 'The specified bucket is not valid.')
    if (!context.store.buckets.exists(bucket)) throw new OssError(404, 'NoSuchBucket', 'The specified bucket does not exist.')
    checkKey(key)
    if (action === undefined) throw new OssError(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.')

    const fault = context.faults.take(action)
    if (fault?.kind === 'drop') {
      req.socket.destroy()
      return finishRequest(context, record)
    }
    if (fault?.kind === 'slow' && !(await pause(fault.delayMs, context))) return
    if (fault?.kind === 'server-error') {
      throw fault.status === 503
        ? new OssError(503, 'ServiceUnavailable', 'Please reduce your request rate.')
        : new OssError(500, 'InternalError', 'We encountered an internal error. Please try again.')
    }

    const headers = flattenHeaders(req)
    const account = authenticateOss({ method, headers, query: [...url.searchParams.entries()], bucket, key }, context.settings.accounts, Date.now())
    if (account === undefined && !READS.has(action)) throw new OssError(403, 'AccessDenied', 'You have no right to access this object because of bucket acl.')
    if (account?.deny?.includes(action)) throw new OssError(403, 'AccessDenied', 'You have no right to access this object because of bucket acl.')

    const operation = OPERATIONS[action] as (request: ObjectRequest) => number | Promise<number>
    const status = await operation({ req, res, context, bucket, key, query, headers, requestId })
    finishRequest(context, { ...record, status })
  } catch (error) {
    if (error instanceof ClientGone) return finishRequest(context, record)
    if (!(error instanceof OssError)) throw error
    // Answer once the body is read, so that every HTTP client sees the answer.
    req.resume()
    await requestDone(req)
    if (res.headersSent) {
      res.destroy()
    } else {
      sendOssError(res, error, requestId, req.headers.host ?? '')
    }
    finishRequest(context, { ...record, status: error.status, code: error.code })
  }
}
