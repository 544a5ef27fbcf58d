import busboy from 'busboy'
import { createHash } from 'node:crypto'
import { mkdir, rename, rm } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { dirname } from 'node:path'
import { MAX_UPLOAD_BYTES } from '../../iot/documented-rules.js'
import { finishRequest, pause, type EmulatorContext } from '../../server/context.js'
import { STREAM_BUFFER_BYTES, writeObject, type WrittenFile } from '../storage/object-sink.js'
import { POST_OBJECT } from '../../server/faults.js'
import { ClientGone, requestDone } from '../../server/http-util.js'
import { newOssRequestId } from '../../state/ids.js'
import { authorizeUpload, type UploadGrant } from './policy.js'
import { OssError, ossErrors, ossHeaders, sendOssError } from '../../server/responses.js'
import { type RequestRecord, type StoredObject } from '../../state/store.js'
import { toXml } from '../../server/xml.js'
import { PLATFORM_BUCKET } from '../bucket-names.js'

const malformed = () => new OssError(400, 'MalformedPOSTRequest', 'The body of your POST request is not well-formed multipart/form-data.')
const { invalidArgument } = ossErrors
const fileNotLast = () => invalidArgument('The file must be the last field in the form.')

interface Received {
  grant: UploadGrant
  written: WrittenFile
  fields: ReadonlyMap<string, string>
}

/** Object keys become paths under dataDir, so nothing may climb out of it. */
function isSafeKey(key: string): boolean {
  return (
    key.length <= 1023 &&
    /^[\x21-\x7e]+$/.test(key) &&
    !key.includes('\\') &&
    key.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..')
  )
}

/**
 * Parses the form as it streams in. Fields must precede `file`, whose start triggers the policy
 * check; `file` must be the last part. On failure the rest of the body is read and discarded.
 */
/** A multipart parser for the request, or undefined when the body is no multipart form. */
function formParser(req: IncomingMessage): busboy.Busboy | undefined {
  // busboy also parses url-encoded forms; PostObject takes multipart only.
  if (!/^multipart\/form-data\b/i.test(req.headers['content-type'] ?? '')) return undefined
  try {
    return busboy({
      headers: req.headers,
      highWaterMark: STREAM_BUFFER_BYTES,
      fileHwm: STREAM_BUFFER_BYTES,
      // One byte over the largest allowed file, so that a too-large file is noticed rather than cut.
      limits: { fileSize: MAX_UPLOAD_BYTES + 1 }
    })
  } catch {
    return undefined
  }
}

/** The policy check when the file part begins: what the form may store. */
function authorizeFile(fields: ReadonlyMap<string, string>, filename: string | undefined, context: EmulatorContext): UploadGrant {
  const grant = authorizeUpload(fields, filename, context.ossKey, Date.now())
  if (!isSafeKey(grant.key)) throw ossErrors.invalidObjectName()
  return grant
}

function receiveUpload(req: IncomingMessage, context: EmulatorContext): Promise<Received> {
  return new Promise((resolve, reject) => {
    const parser = formParser(req)
    if (!parser) {
      req.resume()
      reject(malformed())
      return
    }
    const fields = new Map<string, string>()
    const abort = new AbortController()
    let grant: UploadGrant | undefined
    let file: Promise<WrittenFile> | undefined
    let settled = false

    const fail = (error: unknown) => {
      if (settled) return
      settled = true
      abort.abort()
      req.unpipe(parser)
      req.resume()
      // Reject once no temporary file is left: an aborted write removes its own, a finished one
      // (when a part came after the file) is removed here.
      const leftover = file?.then(
        (written) => rm(written.path, { force: true }),
        () => undefined
      )
      void Promise.resolve(leftover).then(() => reject(error))
    }
    parser.on('field', (name, value) => {
      if (file) fail(fileNotLast())
      else fields.set(name.toLowerCase(), value)
    })
    parser.on('file', (name, stream, info) => {
      if (file || name.toLowerCase() !== 'file') {
        stream.resume()
        if (file) fail(fileNotLast())
        return
      }
      try {
        grant = authorizeFile(fields, info.filename, context)
      } catch (error) {
        stream.resume()
        fail(error)
        return
      }
      file = writeObject(stream, context.store.incomingPath(), { maxBytes: grant.maxBytes, signal: abort.signal })
      file.catch(fail)
    })
    parser.on('error', () => fail(malformed()))
    parser.on('close', () => {
      if (settled) return
      const accepted = grant
      if (!file || !accepted) return fail(invalidArgument("Bucket POST must contain a field named 'file'. It must be the last field."))
      file.then((written) => {
        if (!settled) resolve({ grant: accepted, written, fields })
        settled = true
      }, fail)
    })
    req.on('close', () => req.complete || fail(new ClientGone()))
    req.pipe(parser)
  })
}

/** Moves a complete upload into place; until then nothing is stored under its key. */
async function store(received: Received, context: EmulatorContext): Promise<StoredObject> {
  const { grant, written } = received
  if (written.size < grant.minBytes) {
    await rm(written.path, { force: true })
    throw ossErrors.entityTooSmall()
  }
  const object: StoredObject = {
    bucket: PLATFORM_BUCKET,
    key: grant.key,
    size: written.size,
    md5: written.md5,
    sha256: written.sha256,
    path: context.store.objectPath(grant.key),
    storedAt: Date.now()
  }
  await mkdir(dirname(object.path), { recursive: true })
  await rename(written.path, object.path)
  context.store.objects.set(object.key, object)
  return object
}

function sendStored(res: ServerResponse, object: StoredObject, successStatus: string | undefined, context: EmulatorContext, requestId: string): number {
  // OSS ETags are the upper-case hex MD5, quoted.
  const etag = `"${object.md5.toUpperCase()}"`
  const headers = { ...ossHeaders(requestId), etag }
  if (successStatus === '201') {
    const body = toXml('PostResponse', {
      Bucket: PLATFORM_BUCKET,
      Key: object.key,
      ETag: etag,
      Location: `${context.urls.bucket(PLATFORM_BUCKET)}/${object.key}`
    })
    res.writeHead(201, { ...headers, 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) })
    res.end(body)
    return 201
  }
  const status = successStatus === '200' ? 200 : 204
  res.writeHead(status, { ...headers, 'content-length': 0 })
  res.end()
  return status
}

/** Reads one chunk of the body (or all of a tiny one), then cuts the connection. */
function dropAfterPart(req: IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    const cut = () => {
      req.socket.destroy()
      resolve()
    }
    req.once('data', cut)
    req.once('end', cut)
  })
}

/** Checks the whole body against a Content-MD5 header, when the client sent one. */
function watchContentMd5(req: IncomingMessage): (() => boolean) | undefined {
  const expected = req.headers['content-md5']
  if (expected === undefined) return undefined
  const hash = createHash('md5')
  req.on('data', (chunk: Buffer) => hash.update(chunk))
  return () => hash.digest('base64') === expected
}

/** OSS PostObject on the path-style bucket (`POST /iotx-ota`). */
export async function handlePostObject(req: IncomingMessage, res: ServerResponse, context: EmulatorContext): Promise<void> {
  const requestId = newOssRequestId()
  const record: RequestRecord = { action: POST_OBJECT, status: 0, at: Date.now() }
  const fault = context.faults.take(POST_OBJECT)
  if (fault?.kind === 'stall-upload') {
    // Stop reading and never answer: only the client's timeout ends this.
    req.pause()
    finishRequest(context, record)
    return
  }
  if (fault?.kind === 'drop') {
    req.socket.destroy()
    finishRequest(context, record)
    return
  }
  if (fault?.kind === 'upload-fail' && fault.mode === 'drop') {
    await dropAfterPart(req)
    finishRequest(context, record)
    return
  }

  let outcome: StoredObject | OssError
  let successStatus: string | undefined
  try {
    if (fault?.kind === 'upload-fail') throw ossErrors.serverError(503)
    if (fault?.kind === 'server-error') throw ossErrors.serverError(fault.status)
    const contentMd5Matches = watchContentMd5(req)
    const received = await receiveUpload(req, context)
    if (contentMd5Matches && !contentMd5Matches()) {
      await rm(received.written.path, { force: true })
      throw ossErrors.invalidDigest()
    }
    successStatus = received.fields.get('success_action_status')
    outcome = await store(received, context)
  } catch (error) {
    if (error instanceof ClientGone) return finishRequest(context, record)
    if (!(error instanceof OssError)) throw error
    outcome = error
  }
  // Answer only once the body is fully read, so that every HTTP client sees the answer.
  req.resume()
  await requestDone(req)
  if (fault?.kind === 'slow' && !(await pause(fault.delayMs, context))) return
  if (fault?.kind === 'lost-answer') {
    // Stored (or refused) as usual; only the answer never leaves.
    req.socket.destroy()
    return finishRequest(context, record)
  }
  if (outcome instanceof OssError) {
    sendOssError(res, outcome, requestId, req.headers.host ?? '')
    finishRequest(context, { ...record, status: outcome.status, code: outcome.code })
    return
  }
  finishRequest(context, { ...record, status: sendStored(res, outcome, successStatus, context, requestId) })
}
