import { randomBytes } from 'node:crypto'
import { fileName } from '../../files/paths.js'
import type { SignMethod } from '../../platform/rules.js'
import { ApiError } from '../../net/api-error.js'
import { Digests, FileChangedError, MultiHasher, readChunks } from '../../files/digest.js'
import type { BodyProducer, HttpRequest, HttpResponse } from '../../net/transport.js'
import type { UploadTicket } from '../../platform/models.js'

interface LocalFile {
  path: string
  size: number
}

interface PostObjectOptions {
  /** Digests to compute while the bytes stream out. */
  signMethods: readonly SignMethod[]
  idleTimeoutMs: number
  signal?: AbortSignal
  send: (req: HttpRequest) => Promise<HttpResponse>
  /** Called with the bytes of the file sent so far, once per chunk: the caller throttles logging. */
  onProgress?: (sentBytes: number) => void
  /** Bytes per read (READ_CHUNK_BYTES by default): uploads running together share one upload's memory. */
  chunkBytes?: number
}

export interface PostObjectResult {
  size: number
  digests: Digests
  etag?: string
}

function xmlField(xml: string, name: string): string | undefined {
  return new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1]
}

function fieldPart(boundary: string, name: string, value: string): string {
  return `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`
}

/** A PostObject form's fields, as GenerateOTAUploadURL and GenerateDeviceNameListURL hand them out. */
type PostForm = Pick<UploadTicket, 'Host' | 'Key' | 'OSSAccessKeyId' | 'Policy' | 'Signature'>

/**
 * The form OSS PostObject expects, in Alibaba's own order: the file part comes last, after `key`
 * and the policy fields. Returns the text before and after the file bytes.
 */
function buildPostObjectForm(ticket: PostForm, fileName: string, boundary: string): { head: Buffer; tail: Buffer } {
  const safeName = fileName.replace(/["\r\n\\]/g, '_')
  const head =
    fieldPart(boundary, 'key', ticket.Key) +
    fieldPart(boundary, 'policy', ticket.Policy) +
    fieldPart(boundary, 'OSSAccessKeyId', ticket.OSSAccessKeyId) +
    fieldPart(boundary, 'Signature', ticket.Signature) +
    fieldPart(boundary, 'success_action_status', '200') +
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${safeName}"\r\n` +
    'Content-Type: application/octet-stream\r\n\r\n'
  return { head: Buffer.from(head, 'utf8'), tail: Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8') }
}

/** OSS's error answer to a PostObject, as an ApiError; nothing when it succeeded. */
function refused(res: HttpResponse): void {
  if (res.status === 200 || res.status === 201 || res.status === 204) return
  const xml = res.body.toString('utf8')
  throw new ApiError(
    'PostObject',
    xmlField(xml, 'Code') ?? `HTTP${res.status}`,
    xmlField(xml, 'Message') ?? (xml.slice(0, 200) || `HTTP ${res.status}`),
    res.status,
    xmlField(xml, 'RequestId') ?? (res.headers['x-oss-request-id'] as string | undefined)
  )
}

/**
 * Uploads one file with OSS PostObject as a multipart body of known length, in one pass: each chunk
 * is read (the next one already being read meanwhile), digested and queued on the connection, and
 * its buffer reused once the connection has taken it. Memory stays at a few MiB whatever the size.
 */
export async function postObject(ticket: UploadTicket, file: LocalFile, options: PostObjectOptions): Promise<PostObjectResult> {
  const boundary = `----ota-publish-${randomBytes(12).toString('hex')}`
  const { head, tail } = buildPostObjectForm(ticket, fileName(file.path), boundary)
  const hasher = new MultiHasher(options.signMethods)
  let sent = 0

  const body: BodyProducer = async (write) => {
    // Its failure is the connection's, and fails the chunk writes behind it too.
    write(head).catch(() => undefined)
    try {
      await readChunks(
        file.path,
        (chunk) => {
          hasher.update(chunk)
          sent += chunk.length
          options.onProgress?.(sent)
          return write(chunk)
        },
        // A file that changes while it is sent would not match the Content-Length we promised.
        { expectedSize: file.size, chunkBytes: options.chunkBytes }
      )
    } catch (error) {
      if (error instanceof FileChangedError) {
        throw new Error(
          `${file.path} changed while it was uploaded (expected ${file.size} bytes, found ${error.actualSize > file.size ? 'more' : error.actualSize})`
        )
      }
      throw error
    }
    await write(tail)
  }

  const res = await options.send({
    url: ticket.Host,
    method: 'POST',
    headers: {
      'content-type': `multipart/form-data; boundary=${boundary}`,
      'content-length': String(head.length + file.size + tail.length)
    },
    body,
    idleTimeoutMs: options.idleTimeoutMs,
    signal: options.signal
  })
  refused(res)
  const etag = res.headers.etag
  return { size: sent, digests: hasher.digest(), etag: typeof etag === 'string' ? etag.replace(/"/g, '') : undefined }
}

/** Uploads a few bytes held in memory (a device-list file) with a PostObject form. */
export async function postBytes(
  form: PostForm,
  fileName: string,
  bytes: Buffer,
  options: Pick<PostObjectOptions, 'idleTimeoutMs' | 'signal' | 'send'>
): Promise<void> {
  const boundary = `----ota-publish-${randomBytes(12).toString('hex')}`
  const { head, tail } = buildPostObjectForm(form, fileName, boundary)
  const body = Buffer.concat([head, bytes, tail])
  const headers = { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(body.length) }
  refused(await options.send({ url: form.Host, method: 'POST', headers, body, idleTimeoutMs: options.idleTimeoutMs, signal: options.signal }))
}
