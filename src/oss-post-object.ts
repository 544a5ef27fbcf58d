import { randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { basename } from 'node:path'
import { Readable } from 'node:stream'
import type { SignMethod } from './api-rules.js'
import { ApiError } from './api-error.js'
import { Digests, MultiHasher, READ_CHUNK_BYTES } from './digest.js'
import type { HttpRequest, HttpResponse } from './http-transport.js'
import type { UploadTicket } from './iot-client.js'

export interface LocalFile {
  path: string
  size: number
}

export interface PostObjectOptions {
  /** Digests to compute while the bytes stream out. */
  signMethods: readonly SignMethod[]
  idleTimeoutMs: number
  signal?: AbortSignal
  send: (req: HttpRequest) => Promise<HttpResponse>
  /** Called with the bytes of the file sent so far, once per chunk: the caller throttles logging. */
  onProgress?: (sentBytes: number) => void
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

/**
 * The form OSS PostObject expects, in Alibaba's own order: the file part comes last, after `key`
 * and the policy fields. Returns the text before and after the file bytes.
 */
export function buildPostObjectForm(ticket: UploadTicket, fileName: string, boundary: string): { head: Buffer; tail: Buffer } {
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

/**
 * Uploads one file with OSS PostObject as a streaming multipart body of known length: the file is
 * read once, in large chunks, and digested on the way out, never held in memory whole.
 */
export async function postObject(ticket: UploadTicket, file: LocalFile, options: PostObjectOptions): Promise<PostObjectResult> {
  const boundary = `----ota-publish-${randomBytes(12).toString('hex')}`
  const { head, tail } = buildPostObjectForm(ticket, basename(file.path), boundary)
  const hasher = new MultiHasher(options.signMethods)
  let sent = 0

  async function* body(): AsyncGenerator<Buffer> {
    yield head
    for await (const chunk of createReadStream(file.path, { highWaterMark: READ_CHUNK_BYTES })) {
      const buf = chunk as Buffer
      sent += buf.length
      // A file that grows while it is sent would not match the Content-Length we promised.
      if (sent > file.size) break
      hasher.update(buf)
      options.onProgress?.(sent)
      yield buf
    }
    if (sent !== file.size) {
      throw new Error(`${file.path} changed while it was uploaded (expected ${file.size} bytes, read ${sent})`)
    }
    yield tail
  }

  const res = await options.send({
    url: ticket.Host,
    method: 'POST',
    headers: {
      'content-type': `multipart/form-data; boundary=${boundary}`,
      'content-length': String(head.length + file.size + tail.length)
    },
    body: Readable.from(body(), { objectMode: false, highWaterMark: READ_CHUNK_BYTES }),
    idleTimeoutMs: options.idleTimeoutMs,
    signal: options.signal
  })
  if (res.status !== 200 && res.status !== 201 && res.status !== 204) {
    const xml = res.body.toString('utf8')
    throw new ApiError(
      'PostObject',
      xmlField(xml, 'Code') ?? `HTTP${res.status}`,
      xmlField(xml, 'Message') ?? (xml.slice(0, 200) || `HTTP ${res.status}`),
      res.status,
      xmlField(xml, 'RequestId') ?? (res.headers['x-oss-request-id'] as string | undefined)
    )
  }
  const etag = res.headers.etag
  return { size: sent, digests: hasher.digest(), etag: typeof etag === 'string' ? etag.replace(/"/g, '') : undefined }
}
