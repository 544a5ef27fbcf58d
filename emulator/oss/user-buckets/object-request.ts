import { rename, rm } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { EmulatorContext } from '../../server/context.js'
import type { BucketObject } from './buckets.js'
import { ClientGone } from '../../server/http-util.js'
import { ossErrors, OssError } from '../../server/responses.js'
import { writeObject, type WrittenFile } from '../storage/object-sink.js'

/** PutObject's limit. */
export const MAX_OBJECT_BYTES = 5 * 1024 * 1024 * 1024

/** One request to a user bucket, as the operations see it. */
export interface ObjectRequest {
  req: IncomingMessage
  res: ServerResponse
  context: EmulatorContext
  bucket: string
  key: string
  query: ReadonlyMap<string, string>
  headers: Readonly<Record<string, string>>
  requestId: string
}

const fileAlreadyExists = () => new OssError(409, 'FileAlreadyExists', 'The object you specified already exists and can not be overwritten.')

/** `x-oss-forbid-overwrite: true` and the key is taken. */
export function refuseOverwrite(request: ObjectRequest): void {
  if ((request.headers['x-oss-forbid-overwrite'] ?? '').toLowerCase() === 'true' && request.context.store.buckets.get(request.bucket, request.key)) {
    throw fileAlreadyExists()
  }
}

/** Moves written bytes into place under `bucket/key`, replacing (and removing) an older object. */
export async function storeObject(request: ObjectRequest, object: Omit<BucketObject, 'bucket' | 'key' | 'modified'>): Promise<BucketObject> {
  const { store } = request.context
  const finalPath = store.buckets.filePath()
  await rename(object.path, finalPath)
  const stored: BucketObject = { ...object, path: finalPath, bucket: request.bucket, key: request.key, modified: new Date() }
  const previous = store.buckets.get(request.bucket, request.key)
  store.buckets.put(stored)
  if (previous) await rm(previous.path, { force: true })
  return stored
}

/**
 * Streams the request body to a fresh file (at most `maxBytes`) and checks it against Content-MD5;
 * a client that goes away mid-body is ClientGone.
 */
export async function receiveBody(request: ObjectRequest, maxBytes: number): Promise<WrittenFile & { crc64: string }> {
  let written
  try {
    written = await writeObject(request.req, request.context.store.buckets.filePath(), { maxBytes, crc64: true })
  } catch (error) {
    if (error instanceof OssError) throw error
    throw new ClientGone()
  }
  const expected = request.headers['content-md5']
  if (expected !== undefined && expected !== Buffer.from(written.md5, 'hex').toString('base64')) {
    await rm(written.path, { force: true })
    throw ossErrors.invalidDigest()
  }
  return written
}
