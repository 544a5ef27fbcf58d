import type { IncomingMessage, ServerResponse } from 'node:http'
import type { EmulatorContext } from './context.js'
import { CONTROL_PREFIX, handleControl } from './control.js'
import { newOssRequestId } from '../state/ids.js'
import { handleGetObject } from '../oss/platform-bucket/get-object.js'
import { handlePostObject } from '../oss/platform-bucket/post-object.js'
import { handleBucketRequest } from '../oss/user-buckets/rest.js'
import { OssError, ossErrors, sendOssError } from './responses.js'
import { handleRpc } from '../iot/rpc-handler.js'
import { bucketOfHost, decodeKey, ossAddress } from '../oss/addressing.js'
import { PLATFORM_BUCKET } from '../oss/bucket-names.js'
import { parseRawQuery } from '../signing/rfc3986.js'

/** The platform's bucket: PostObject on the bucket, GET/HEAD of its objects. */
function platformBucket(req: IncomingMessage, res: ServerResponse, context: EmulatorContext, rawKey: string, url: URL): Promise<void> | void {
  const ossError = (error: OssError) => {
    req.resume()
    sendOssError(res, error, newOssRequestId(), req.headers.host ?? '')
  }
  if (rawKey === '') {
    if (req.method === 'POST') return handlePostObject(req, res, context)
    // The bucket is private: nobody lists it anonymously.
    return ossError(ossErrors.accessDenied('You have no right to access this bucket.'))
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') return ossError(ossErrors.methodNotAllowed())
  const key = decodeKey(rawKey)
  if (key === undefined) return ossError(ossErrors.invalidObjectName())
  return handleGetObject(req, res, context, key, new Map(parseRawQuery(url.search.slice(1))))
}

/**
 * One listener serves everything. A Host that names a bucket makes the request an OSS one for that
 * bucket, whatever the path; otherwise `/` is the IoT API, `/__emulator/` the control API and
 * `/<bucket>/<key>` OSS path-style.
 */
export async function route(req: IncomingMessage, res: ServerResponse, context: EmulatorContext, reset: () => void): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://emulator')
  const path = url.pathname
  const { hostName } = context.settings
  if (bucketOfHost(req.headers.host, hostName) === undefined) {
    if (path === '/') return handleRpc(req, res, context)
    if (path.startsWith(CONTROL_PREFIX)) return handleControl(req, res, context, path, reset)
  }
  const address = ossAddress(req.headers.host, path, hostName)
  if (address.bucket === PLATFORM_BUCKET) return platformBucket(req, res, context, address.rawKey, url)
  return handleBucketRequest(req, res, context, address)
}
