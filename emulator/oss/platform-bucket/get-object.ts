import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { pipeline } from 'node:stream/promises'
import { finishRequest, type EmulatorContext } from '../../server/context.js'
import { newOssRequestId } from '../../state/ids.js'
import { checkObjectUrlSignature } from './signed-url.js'
import { OssError, ossHeaders, sendOssError } from '../../server/responses.js'

interface ByteRange {
  start: number
  end: number
}

/** A single `bytes=` range as OSS reads it: a malformed header is ignored, an impossible one is refused. */
export function parseRange(header: string | undefined, size: number): ByteRange | undefined {
  const match = header === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim())
  if (!match || (match[1] === '' && match[2] === '')) return undefined
  const [first, last] = [match[1] ?? '', match[2] ?? '']
  const range =
    first === ''
      ? { start: Math.max(0, size - Number(last)), end: size - 1 }
      : { start: Number(first), end: last === '' ? size - 1 : Math.min(Number(last), size - 1) }
  if (range.start > range.end || range.start >= size) {
    throw new OssError(416, 'InvalidRange', 'The requested range cannot be satisfied.')
  }
  return range
}

/**
 * GET/HEAD of a stored object, as devices download it. A signed URL (Expires, OSSAccessKeyId,
 * Signature) is verified; a plain URL is served too, so that a rehearsal can fetch what it uploaded.
 */
export async function handleGetObject(req: IncomingMessage, res: ServerResponse, context: EmulatorContext, key: string, query: URLSearchParams): Promise<void> {
  const head = req.method === 'HEAD'
  const requestId = newOssRequestId()
  const record = { action: head ? 'HeadObject' : 'GetObject', status: 200, at: Date.now() }
  try {
    if (query.has('Signature') || query.has('OSSAccessKeyId') || query.has('Expires')) {
      checkObjectUrlSignature(query, key, context.ossKey, Date.now())
    }
    const object = context.store.objects.get(key)
    const stats = object && (await stat(object.path).catch(() => undefined))
    if (!object || !stats) throw new OssError(404, 'NoSuchKey', 'The specified key does not exist.')
    const range = parseRange(req.headers.range, object.size)
    record.status = range ? 206 : 200
    res.writeHead(record.status, {
      ...ossHeaders(requestId),
      'content-type': 'application/octet-stream',
      'content-length': range ? range.end - range.start + 1 : object.size,
      etag: `"${object.md5.toUpperCase()}"`,
      'last-modified': stats.mtime.toUTCString(),
      'accept-ranges': 'bytes',
      ...(range && { 'content-range': `bytes ${range.start}-${range.end}/${object.size}` })
    })
    if (head) res.end()
    else await pipeline(createReadStream(object.path, range), res).catch(() => undefined)
    finishRequest(context, record)
  } catch (error) {
    if (!(error instanceof OssError)) throw error
    sendOssError(res, error, requestId, req.headers.host ?? '')
    finishRequest(context, { ...record, status: error.status, code: error.code })
  }
}
