/**
 * The OSS REST object operations on user buckets (addressed as OSS reads a request: oss/addressing.ts), as ali-oss
 * calls them: PutObject, HeadObject, GetObjectMeta, GetObject, DeleteObject, the multipart
 * operations (in multipart.ts) and ListMultipartUploads (list-uploads.ts). Signatures (V1 and V4) are verified; anonymous requests may
 * read (the buckets are public-read, as firmware buckets devices download from usually are).
 */
import { rm } from 'node:fs/promises'
import { ServerResponse, type IncomingMessage } from 'node:http'
import { finishRequest, pause, type EmulatorContext } from '../../server/context.js'
import { flattenHeaders, requestDone } from '../../server/http-util.js'
import { newOssRequestId } from '../../state/ids.js'
import { authenticateOss, claimedOssAccessKeyId } from './auth.js'
import type { BucketObject } from './buckets.js'
import { sendObjectBytes } from '../storage/read-object.js'
import { decodeKey, type OssAddress } from '../addressing.js'
import { abortMultipartUpload, completeMultipartUpload, initiateMultipartUpload, uploadPart } from './multipart.js'
import { listMultipartUploads } from './list-uploads.js'
import { MAX_OBJECT_BYTES, receiveBody, refuseOverwrite, storeObject, type ObjectRequest } from './object-request.js'
import { ClientGone } from '../../server/http-util.js'
import type { TakenFault } from '../../server/faults.js'
import { OssError, ossErrors, ossHeaders, sendOssError } from '../../server/responses.js'
import { parseRawQuery, rawQueryOf } from '../../signing/rfc3986.js'
import type { RequestRecord } from '../../state/store.js'
import { BUCKET_NAME } from '../bucket-names.js'

/** The operation a request is, by method and sub-resources; undefined for what the emulator does not serve. */
function operationOf(method: string, query: ReadonlyMap<string, string>, onBucket: boolean): string | undefined {
  // Of the bucket operations, only the listing of unfinished multipart uploads.
  if (onBucket) return method === 'GET' && query.has('uploads') ? 'ListMultipartUploads' : undefined
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

async function putObject(request: ObjectRequest): Promise<number> {
  const { res, headers } = request
  refuseOverwrite(request)
  const written = await receiveBody(request, MAX_OBJECT_BYTES)
  const contentMd5 = Buffer.from(written.md5, 'hex').toString('base64')
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
  if (!object) throw ossErrors.noSuchKey()
  // GetObjectMeta answers the basics only.
  const basics = { ...ossHeaders(request.requestId), 'content-length': object.size, etag: object.etag, 'last-modified': object.modified.toUTCString() }
  request.res.writeHead(200, metaOnly ? basics : objectHeaders(object, request.requestId))
  request.res.end()
  return 200
}

async function getObject(request: ObjectRequest): Promise<number> {
  const object = request.context.store.buckets.get(request.bucket, request.key)
  if (!object) throw ossErrors.noSuchKey()
  return sendObjectBytes(request.res, object, objectHeaders(object, request.requestId), request.headers.range, false)
}

async function deleteObject(request: ObjectRequest): Promise<number> {
  const removed = request.context.store.buckets.delete(request.bucket, request.key)
  if (removed) await rm(removed.path, { force: true })
  // OSS answers 204 whether or not the object existed.
  request.res.writeHead(204, ossHeaders(request.requestId))
  request.res.end()
  return 204
}

type Operation = (request: ObjectRequest) => number | Promise<number>

const OPERATIONS: Readonly<Record<string, Operation>> = {
  PutObject: putObject,
  HeadObject: (r) => headObject(r, false),
  GetObjectMeta: (r) => headObject(r, true),
  GetObject: getObject,
  DeleteObject: deleteObject,
  InitiateMultipartUpload: initiateMultipartUpload,
  UploadPart: uploadPart,
  CompleteMultipartUpload: completeMultipartUpload,
  AbortMultipartUpload: abortMultipartUpload,
  ListMultipartUploads: listMultipartUploads
}

/** Keys OSS accepts: 1 to 1,023 bytes, not starting with `/` or `\`; '' (the bucket) for the bucket operations served. */
function checkKey(key: string, action: string | undefined): void {
  if (key === '' && action !== undefined) return
  if (key === '') throw new OssError(501, 'NotImplemented', 'Of the bucket operations, the emulator serves ListMultipartUploads only.')
  if (Buffer.byteLength(key) > 1023 || key.startsWith('/') || key.startsWith('\\')) {
    throw ossErrors.invalidObjectName()
  }
}

/** The key a request names in an existing bucket, and the operation, once bucket, key and operation pass OSS's rules. */
function addressed(address: OssAddress, action: string | undefined, context: EmulatorContext): { key: string; action: string } {
  const key = decodeKey(address.rawKey)
  if (key === undefined) throw ossErrors.invalidObjectName()
  if (!BUCKET_NAME.test(address.bucket)) throw new OssError(400, 'InvalidBucketName', 'The specified bucket is not valid.')
  if (!context.store.buckets.exists(address.bucket)) throw new OssError(404, 'NoSuchBucket', 'The specified bucket does not exist.')
  checkKey(key, action)
  if (action === undefined) throw ossErrors.methodNotAllowed()
  return { key, action }
}

/** Faults that strike before the operation: false when the request must end here (cut, or the emulator closing). */
async function faultBefore(fault: TakenFault | undefined, req: IncomingMessage, context: EmulatorContext): Promise<boolean> {
  if (fault?.kind === 'drop') {
    req.socket.destroy()
    return false
  }
  if (fault?.kind === 'slow' && !(await pause(fault.delayMs, context))) return false
  if (fault?.kind === 'server-error') throw ossErrors.serverError(fault.status)
  return true
}

/**
 * The operation takes effect, then the connection is cut before any answer: the client cannot tell
 * whether it happened (an InitiateMultipartUpload so lost leaves an upload open). The operation writes
 * into a response attached to no socket, which sends nothing.
 */
async function loseAnswer(operation: Operation, request: ObjectRequest): Promise<void> {
  try {
    await operation({ ...request, res: new ServerResponse(request.req) })
  } catch (error) {
    if (!(error instanceof OssError || error instanceof ClientGone)) throw error
  }
  request.req.socket.destroy()
}

/** A request to any bucket but the platform's, already read as bucket and key. */
export async function handleBucketRequest(req: IncomingMessage, res: ServerResponse, context: EmulatorContext, address: OssAddress): Promise<void> {
  const requestId = newOssRequestId()
  const pairs = parseRawQuery(rawQueryOf(req.url ?? '/'))
  const query = new Map(pairs)
  const method = req.method ?? 'GET'
  const action = operationOf(method, query, address.rawKey === '')
  const record: RequestRecord = {
    action: action ?? `${method} /${address.bucket}/${address.rawKey}`,
    status: 0,
    at: Date.now(),
    accessKeyId: claimedOssAccessKeyId(req.headers.authorization)
  }
  try {
    const { bucket } = address
    const { key, action: served } = addressed(address, action, context)
    const fault = context.faults.take(served)
    if (!(await faultBefore(fault, req, context))) return finishRequest(context, record)

    const headers = flattenHeaders(req)
    const account = authenticateOss({ method, headers, query: pairs, bucket, key }, context.settings.accounts, Date.now())
    if (account === undefined && !READS.has(served)) throw ossErrors.bucketAcl()
    if (account?.deny?.includes(served)) throw ossErrors.bucketAcl()

    const operation = OPERATIONS[served] as Operation
    const request: ObjectRequest = { req, res, context, bucket, key, query, headers, requestId }
    if (fault?.kind === 'lost-answer') {
      await loseAnswer(operation, request)
      return finishRequest(context, record)
    }
    finishRequest(context, { ...record, status: await operation(request) })
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
