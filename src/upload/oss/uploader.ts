/**
 * `upload-mode: oss`: puts the firmware into the user's own bucket with ali-oss, never overwriting
 * other content, verifies what arrived, and registers the object's URL.
 *
 * ali-oss is imported only here and only when an upload starts, so the default mode's start-up does
 * not load it (ncc emits it as a separate chunk).
 */
import type OSS from 'ali-oss'
import type { Agent } from 'node:http'
import { isIP } from 'node:net'
import type { SignMethod } from '../../platform/rules.js'
import type { Artifact } from '../../files/artifact.js'
import { INPUT } from '../../contract/names.js'
import { ActionError } from '../../contract/action-error.js'
import { fingerprintFile, type FileFingerprint } from '../../files/fingerprint.js'
import { TransportError } from '../../net/transport.js'
import type { Credentials } from '../../config/connection.js'
import { compareObject, objectFactsFromHeaders, type ObjectComparison } from './object-check.js'
import { toOssError } from './errors.js'
import { objectUrl } from './object-url.js'
import { createProgressReporter } from '../../report/progress.js'
import { formatBytes } from '../../report/format.js'
import type { FirmwareUploader, UploadedFirmware } from '../uploader.js'
import type { OssTarget } from '../../config/upload-settings.js'
import { proxyRoute, throughProxy } from '../../net/proxy.js'

/** From this size on a file goes up in parts, several at once; below it, one PutObject. */
const MULTIPART_THRESHOLD_BYTES = 100 * 1024 * 1024
/** 16 MiB parts: a 1,000 MB file is 63 parts, well under OSS's 10,000. */
const PART_BYTES = 16 * 1024 * 1024
const PARALLEL_PARTS = 4
/** Request time allowed per MiB a request carries, on top of request-timeout-seconds (a 1 MiB/s floor). */
const MS_PER_MIB = 1000

interface OssUploadOptions {
  target: OssTarget
  /** The rendered `oss-key`. */
  key: string
  /** Absent only in a dry run without credentials, which uploads nothing. */
  credentials: Credentials | undefined
  requestTimeoutMs: number
  /** The run's deadline: an upload in progress is given up (multipart parts are cancelled). */
  signal?: AbortSignal
  now: () => number
  log: { info(message: string): void; warning(message: string): void; debug(message: string): void }
}

/** Options ali-oss reads that its type definitions leave out. */
interface ClientOptions extends OSS.Options {
  /** Path-style addressing (`/bucket/key`). */
  sldEnable?: boolean
  /** Agents for http and https endpoints; ali-oss's own keep-alive agents when absent. */
  agent?: Agent
  httpsAgent?: Agent
}

/** Where ali-oss connects: the bucket's host name, or the endpoint itself when it is an IP address. */
function connectionUrl(target: OssTarget): URL {
  const endpoint = new URL(target.endpoint)
  if (isIP(endpoint.hostname.replace(/^\[|\]$/g, '')) !== 0) return endpoint
  return new URL(`${endpoint.protocol}//${target.bucket}.${endpoint.host}`)
}

interface HeadAnswer {
  res: { headers: object }
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : undefined
}

/** HeadObject's answer against the local file. */
function compareFound(found: HeadAnswer, fp: FileFingerprint): ObjectComparison {
  return compareObject(objectFactsFromHeaders(found.res.headers as Record<string, unknown>), { size: fp.size, crc64: fp.crc64, md5: fp.digests.MD5 })
}

/** Dry runs: what is at the key now, by HeadObject (read only). */
async function objectState(headObject: () => Promise<HeadAnswer | undefined>, artifact: Artifact): Promise<string> {
  try {
    const found = await headObject()
    if (!found) return 'the object does not exist yet'
    const comparison = compareFound(found, await fingerprintFile(artifact.path, []))
    if (comparison.verdict === 'same') return `the object exists already and holds this file (${comparison.remote}): it would be reused, not written again`
    const what = comparison.verdict === 'unknown' ? 'content that cannot be compared' : 'other content'
    return `the object exists already with ${what} (${comparison.remote}): the publish would fail rather than overwrite it`
  } catch (error) {
    return `whether the object exists could not be checked: ${error instanceof Error ? error.message : String(error)}`
  }
}

function isNotFound(error: unknown): boolean {
  return (error as { status?: unknown } | null)?.status === 404
}

/** Rejects when the run's deadline passes, whatever the operation is doing. */
function untilDeadline<T>(work: Promise<T>, signal: AbortSignal | undefined, onAbort: () => void): Promise<T> {
  if (signal === undefined) return work
  return new Promise<T>((resolve, reject) => {
    const abort = (): void => {
      onAbort()
      reject(new TransportError('upload aborted: the run ran out of time', 'aborted', true))
    }
    if (signal.aborted) return abort()
    signal.addEventListener('abort', abort, { once: true })
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort))
  })
}

/**
 * The uploader for `upload-mode: oss`. One `upload` call is one attempt:
 * 1. digest the file (once per run): size, digests, CRC-64;
 * 2. HeadObject: an object with the same content is reused, other content is a conflict;
 * 3. PutObject with Content-MD5, or a multipart upload in parallel parts from 100 MiB on, both
 *    with `x-oss-forbid-overwrite` so that a concurrent writer is never overwritten;
 * 4. HeadObject again: size and CRC-64 must match the file before the URL is registered.
 */
export function createOssUploader(options: OssUploadOptions): FirmwareUploader {
  const { target, key, log } = options
  const location = `oss://${target.bucket}/${key}`
  const firmwareUrl = objectUrl(target, key)
  let client: OSS | undefined
  const connection = connectionUrl(target)
  const route = proxyRoute(connection, options.requestTimeoutMs)
  let fingerprint: FileFingerprint | undefined
  // Set once this run has sent a write: an object found later may be its own, and is then its to remove.
  let wrote = false

  async function connect(): Promise<OSS> {
    if (client) return client
    const { credentials } = options
    if (credentials === undefined) throw new Error('upload-mode oss needs credentials to upload')
    const { default: Client } = await import('ali-oss')
    const clientOptions: ClientOptions = {
      accessKeyId: credentials.accessKeyId,
      accessKeySecret: credentials.accessKeySecret,
      stsToken: credentials.securityToken,
      // Without a refresher ali-oss warns about STS tokens on every start; the run is shorter than the token.
      refreshSTSTokenInterval: credentials.securityToken ? 24 * 3600 * 1000 : undefined,
      bucket: target.bucket,
      region: `oss-${target.region}`,
      endpoint: target.endpoint,
      secure: target.endpoint.startsWith('https:'),
      // OSS phases out V1 signatures (new buckets refuse them since September 2025).
      authorizationV4: true,
      // Virtual-hosted for every endpoint: OSS reads the bucket from the Host ali-oss sends (also for IP
      // endpoints), so a bucket repeated in the path would become part of the key.
      sldEnable: false,
      timeout: options.requestTimeoutMs,
      // ali-oss hands these to urllib, which uses the one for the endpoint's protocol.
      agent: route?.agent,
      httpsAgent: route?.agent
    }
    client = new Client(clientOptions)
    return client
  }

  async function head(oss: OSS): Promise<HeadAnswer | undefined> {
    try {
      return await oss.head(key, { timeout: options.requestTimeoutMs } as OSS.HeadObjectOptions)
    } catch (error) {
      if (isNotFound(error)) return undefined
      throw toOssError('HeadObject', error)
    }
  }

  function conflict(comparison: ObjectComparison, artifact: Artifact): ActionError {
    const what = comparison.verdict === 'unknown' ? 'an object whose content cannot be compared' : 'other content'
    return new ActionError(
      `${location} already holds ${what} (${comparison.remote}); ${artifact.displayPath} has ${comparison.local}. Nothing was overwritten.`,
      {
        input: INPUT.ossKey,
        hint: `Give each build its own key (add {version}, {sha} or {tag} to '${INPUT.ossKey}'), or delete the object if it is stale.`
      }
    )
  }

  function discard(oss: OSS): () => Promise<void> {
    return async () => {
      try {
        await oss.delete(key, { timeout: options.requestTimeoutMs })
      } catch (error) {
        throw toOssError('DeleteObject', error)
      }
    }
  }

  async function putWhole(oss: OSS, artifact: Artifact, fp: FileFingerprint): Promise<void> {
    const started = options.now()
    log.info(`Uploading ${formatBytes(fp.size)} to ${location} (PutObject)`)
    await oss.put(key, artifact.path, {
      timeout: options.requestTimeoutMs + Math.ceil(fp.size / (1024 * 1024)) * MS_PER_MIB,
      headers: { 'Content-MD5': Buffer.from(fp.digests.MD5, 'hex').toString('base64'), 'x-oss-forbid-overwrite': 'true' }
    })
    log.info(`Uploaded ${formatBytes(fp.size)} in ${((options.now() - started) / 1000).toFixed(1)} s`)
  }

  async function putInParts(oss: OSS, artifact: Artifact, fp: FileFingerprint): Promise<void> {
    log.info(`Uploading ${formatBytes(fp.size)} to ${location} in ${Math.ceil(fp.size / PART_BYTES)} parts, ${PARALLEL_PARTS} at a time`)
    const report = createProgressReporter(fp.size, options.now, (line) => log.info(line))
    let uploadId: string | undefined
    try {
      await oss.multipartUpload(key, artifact.path, {
        parallel: PARALLEL_PARTS,
        partSize: PART_BYTES,
        timeout: options.requestTimeoutMs + (PART_BYTES / (1024 * 1024)) * MS_PER_MIB,
        headers: { 'x-oss-forbid-overwrite': 'true' },
        progress: (fraction: number, checkpoint?: { uploadId?: string }) => {
          uploadId ??= checkpoint?.uploadId
          if (fraction > 0) report(Math.floor(fraction * fp.size))
        }
      })
    } catch (error) {
      // Parts of an unfinished upload are stored (and billed) until aborted.
      if (uploadId !== undefined) {
        await oss.abortMultipartUpload(key, uploadId, { timeout: options.requestTimeoutMs }).catch((abortError: unknown) => {
          log.warning(`Could not abort the unfinished multipart upload ${uploadId} of ${location}: ${toOssError('AbortMultipartUpload', abortError).message}`)
        })
      }
      throw error
    }
  }

  async function attempt(artifact: Artifact, signMethods: readonly SignMethod[]): Promise<UploadedFirmware> {
    const oss = await connect()
    fingerprint ??= await fingerprintFile(artifact.path, signMethods)
    const fp = fingerprint
    const result = (): UploadedFirmware => ({ firmwareUrl, size: fp.size, digests: fp.digests, discard: wrote ? discard(oss) : undefined })

    const reuseOrRefuse = (found: HeadAnswer): UploadedFirmware => {
      const comparison = compareFound(found, fp)
      if (comparison.verdict !== 'same') throw conflict(comparison, artifact)
      log.info(`${location} already holds this file (${comparison.remote}); reusing it.`)
      return result()
    }

    const existing = await head(oss)
    if (existing) return reuseOrRefuse(existing)

    const wroteBefore = wrote
    wrote = true
    try {
      if (fp.size < MULTIPART_THRESHOLD_BYTES) await putWhole(oss, artifact, fp)
      else await putInParts(oss, artifact, fp)
    } catch (error) {
      // Someone (or an earlier attempt whose answer was lost) wrote the key since the check.
      if (errorCode(error) === 'FileAlreadyExists') {
        // This write did not land: the object is this run's only if an earlier attempt's did.
        wrote = wroteBefore
        const now = await head(oss)
        if (now) return reuseOrRefuse(now)
      }
      throw toOssError(fp.size < MULTIPART_THRESHOLD_BYTES ? 'PutObject' : 'MultipartUpload', error)
    }

    const stored = await head(oss)
    const check = stored && compareFound(stored, fp)
    if (!check || check.verdict !== 'same') {
      // Damaged on the way: remove it, so that the next attempt is not refused as a conflict.
      await discard(oss)().catch(() => undefined)
      throw new TransportError(
        `${location} does not match the file after the upload (${check?.remote ?? 'object missing'}; expected ${check?.local ?? `${fp.size} bytes`})`,
        'network',
        true,
        'EBADDIGEST'
      )
    }
    log.info(`Verified ${location}: ${check.remote}`)
    return result()
  }

  return {
    label: `Upload to ${location}`,
    firmwareUrl,
    async describe(artifact) {
      if (artifact === undefined) throw new Error('upload-mode oss needs the firmware file')
      const how = artifact.size < MULTIPART_THRESHOLD_BYTES ? 'PutObject' : 'a multipart upload'
      const state = options.credentials === undefined ? 'whether the object exists was not checked: no credentials were given' : await objectState(async () => head(await connect()), artifact)
      return `Would upload ${artifact.displayPath} to ${location} (${how}, never overwriting) and register ${firmwareUrl}; ${state}.`
    },
    async upload(artifact, signMethods) {
      if (artifact === undefined) throw new Error('upload-mode oss needs the firmware file')
      return untilDeadline(attempt(artifact, signMethods), options.signal, () => client?.cancel()).catch((error: unknown) => {
        throw throughProxy(error, route, connection)
      })
    }
  }
}
