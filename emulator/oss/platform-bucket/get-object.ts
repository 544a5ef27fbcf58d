import { stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { sendObjectBytes } from '../storage/read-object.js'
import { finishRequest, type EmulatorContext } from '../../server/context.js'
import { newOssRequestId } from '../../state/ids.js'
import { checkObjectUrlSignature } from './signed-url.js'
import { OssError, ossErrors, ossHeaders, sendOssError } from '../../server/responses.js'

/**
 * GET/HEAD of a stored object, as devices download it. A signed URL (Expires, OSSAccessKeyId,
 * Signature) is verified; a plain URL is served too, so that a rehearsal can fetch what it uploaded.
 */
export async function handleGetObject(
  req: IncomingMessage,
  res: ServerResponse,
  context: EmulatorContext,
  key: string,
  query: ReadonlyMap<string, string>
): Promise<void> {
  const head = req.method === 'HEAD'
  const requestId = newOssRequestId()
  const record = { action: head ? 'HeadObject' : 'GetObject', status: 200, at: Date.now() }
  try {
    if (query.has('Signature') || query.has('OSSAccessKeyId') || query.has('Expires')) {
      checkObjectUrlSignature(query, key, context.ossKey, Date.now())
    }
    const object = context.store.objects.get(key)
    const stats = object && (await stat(object.path).catch(() => undefined))
    if (!object || !stats) throw ossErrors.noSuchKey()
    const headers = {
      ...ossHeaders(requestId),
      'content-type': 'application/octet-stream',
      etag: `"${object.md5.toUpperCase()}"`,
      'last-modified': stats.mtime.toUTCString(),
      'accept-ranges': 'bytes'
    }
    record.status = await sendObjectBytes(res, object, headers, req.headers.range, head)
    finishRequest(context, record)
  } catch (error) {
    if (!(error instanceof OssError)) throw error
    sendOssError(res, error, requestId, req.headers.host ?? '')
    finishRequest(context, { ...record, status: error.status, code: error.code })
  }
}
