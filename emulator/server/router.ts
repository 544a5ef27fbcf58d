import type { IncomingMessage, ServerResponse } from 'node:http'
import type { EmulatorContext } from './context.js'
import { CONTROL_PREFIX, handleControl } from './control.js'
import { newOssRequestId } from '../state/ids.js'
import { handleGetObject } from '../oss/platform-bucket/get-object.js'
import { handlePostObject } from '../oss/platform-bucket/post-object.js'
import { handleBucketRequest } from '../oss/user-buckets/rest.js'
import { OssError, ossErrors, sendOssError } from './responses.js'
import { handleRpc } from '../iot/rpc-handler.js'
import { PLATFORM_BUCKET } from '../oss/bucket-names.js'
import { parseRawQuery } from '../signing/rfc3986.js'

const BUCKET_PATH = `/${PLATFORM_BUCKET}`

/**
 * One host serves the IoT API at `/`, the platform's bucket path-style at `/iotx-ota`, user buckets
 * at `/<bucket>`, and the control API.
 */
export async function route(req: IncomingMessage, res: ServerResponse, context: EmulatorContext, reset: () => void): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://emulator')
  const path = url.pathname
  if (path === '/') return handleRpc(req, res, context)
  if (path.startsWith(CONTROL_PREFIX)) return handleControl(req, res, context, path, reset)

  const ossError = (error: OssError) => {
    req.resume()
    sendOssError(res, error, newOssRequestId(), req.headers.host ?? '')
  }
  if (path === BUCKET_PATH || path === `${BUCKET_PATH}/`) {
    if (req.method === 'POST') return handlePostObject(req, res, context)
    // The bucket is private: nobody lists it anonymously.
    return ossError(ossErrors.accessDenied('You have no right to access this bucket.'))
  }
  if (path.startsWith(`${BUCKET_PATH}/`)) {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return ossError(ossErrors.methodNotAllowed())
    }
    let key: string
    try {
      key = decodeURIComponent(path.slice(BUCKET_PATH.length + 1))
    } catch {
      return ossError(ossErrors.invalidObjectName())
    }
    return handleGetObject(req, res, context, key, new Map(parseRawQuery(url.search.slice(1))))
  }
  // Any other bucket is a user's: OSS REST object operations, path-style.
  return handleBucketRequest(req, res, context, url)
}
