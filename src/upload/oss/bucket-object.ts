/**
 * The one object `upload-mode: oss` writes: ali-oss pointed at it, and the operations on it.
 *
 * ali-oss is imported only here and only when an upload starts, so the default mode's start-up does
 * not load it (ncc emits it as a separate chunk).
 */
import type OSS from 'ali-oss'
import type { Agent } from 'node:http'
import { isIP } from 'node:net'
import type { Credentials } from '../../config/connection.js'
import type { OssTarget } from '../../config/upload-settings.js'
import type { Artifact } from '../../files/artifact.js'
import type { FileFingerprint } from '../../files/fingerprint.js'
import { proxyRoute, type ProxyRoute } from '../../net/proxy.js'
import { formatBytes } from '../../report/format.js'
import { createProgressReporter } from '../../report/progress.js'
import { toOssError } from './errors.js'

/** From this size on a file goes up in parts, several at once; below it, one PutObject. */
export const MULTIPART_THRESHOLD_BYTES = 100 * 1024 * 1024
/** 16 MiB parts: a 1,000 MB file is 63 parts, well under OSS's 10,000. */
const PART_BYTES = 16 * 1024 * 1024
const PARALLEL_PARTS = 4
/** Request time allowed per MiB a request carries, on top of request-timeout-seconds (a 1 MiB/s floor). */
const MS_PER_MIB = 1000

export interface BucketObjectOptions {
  target: OssTarget
  /** The rendered `oss-key`. */
  key: string
  /** Absent only in a dry run without credentials, which uploads nothing. */
  credentials: Credentials | undefined
  requestTimeoutMs: number
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

export interface HeadAnswer {
  res: { headers: object }
}

/** Where ali-oss connects: the bucket's host name, or the endpoint itself when it is an IP address. */
function connectionUrl(target: OssTarget): URL {
  const endpoint = new URL(target.endpoint)
  if (isIP(endpoint.hostname.replace(/^\[|\]$/g, '')) !== 0) return endpoint
  return new URL(`${endpoint.protocol}//${target.bucket}.${endpoint.host}`)
}

function isNotFound(error: unknown): boolean {
  return (error as { status?: unknown } | null)?.status === 404
}

function clientOptions(options: BucketObjectOptions, credentials: Credentials, route: ProxyRoute | undefined): ClientOptions {
  const { target } = options
  return {
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
}

export class BucketObject {
  readonly location: string
  /** Where requests go, for the proxy decision and its error messages. */
  readonly connection: URL
  readonly route: ProxyRoute | undefined
  private client: OSS | undefined

  constructor(private readonly options: BucketObjectOptions) {
    this.location = `oss://${options.target.bucket}/${options.key}`
    this.connection = connectionUrl(options.target)
    this.route = proxyRoute(this.connection, options.requestTimeoutMs)
  }

  private async oss(): Promise<OSS> {
    if (this.client) return this.client
    const { credentials } = this.options
    if (credentials === undefined) throw new Error('upload-mode oss needs credentials to upload')
    const { default: Client } = await import('ali-oss')
    this.client = new Client(clientOptions(this.options, credentials, this.route))
    return this.client
  }

  /** HeadObject; undefined when there is no object at the key. */
  async head(): Promise<HeadAnswer | undefined> {
    const oss = await this.oss()
    try {
      return await oss.head(this.options.key, { timeout: this.options.requestTimeoutMs } as OSS.HeadObjectOptions)
    } catch (error) {
      if (isNotFound(error)) return undefined
      throw toOssError('HeadObject', error)
    }
  }

  async remove(): Promise<void> {
    const oss = await this.oss()
    try {
      await oss.delete(this.options.key, { timeout: this.options.requestTimeoutMs })
    } catch (error) {
      throw toOssError('DeleteObject', error)
    }
  }

  /** Stops what ali-oss is doing (multipart parts in flight). */
  cancel(): void {
    this.client?.cancel()
  }

  /** PutObject below the multipart threshold, else parallel parts; never over an existing object. */
  async write(artifact: Artifact, fp: FileFingerprint): Promise<void> {
    const oss = await this.oss()
    if (fp.size < MULTIPART_THRESHOLD_BYTES) await this.putWhole(oss, artifact, fp)
    else await this.putInParts(oss, artifact, fp)
  }

  private async putWhole(oss: OSS, artifact: Artifact, fp: FileFingerprint): Promise<void> {
    const { log, now, requestTimeoutMs } = this.options
    const started = now()
    log.info(`Uploading ${formatBytes(fp.size)} to ${this.location} (PutObject)`)
    await oss.put(this.options.key, artifact.path, {
      timeout: requestTimeoutMs + Math.ceil(fp.size / (1024 * 1024)) * MS_PER_MIB,
      headers: { 'Content-MD5': Buffer.from(fp.digests.MD5, 'hex').toString('base64'), 'x-oss-forbid-overwrite': 'true' }
    })
    log.info(`Uploaded ${formatBytes(fp.size)} in ${((now() - started) / 1000).toFixed(1)} s`)
  }

  private async putInParts(oss: OSS, artifact: Artifact, fp: FileFingerprint): Promise<void> {
    const { log, key, requestTimeoutMs } = this.options
    log.info(`Uploading ${formatBytes(fp.size)} to ${this.location} in ${Math.ceil(fp.size / PART_BYTES)} parts, ${PARALLEL_PARTS} at a time`)
    const report = createProgressReporter(fp.size, this.options.now, (line) => log.info(line))
    let uploadId: string | undefined
    try {
      await oss.multipartUpload(key, artifact.path, {
        parallel: PARALLEL_PARTS,
        partSize: PART_BYTES,
        timeout: requestTimeoutMs + (PART_BYTES / (1024 * 1024)) * MS_PER_MIB,
        headers: { 'x-oss-forbid-overwrite': 'true' },
        progress: (fraction: number, checkpoint?: { uploadId?: string }) => {
          uploadId ??= checkpoint?.uploadId
          if (fraction > 0) report(Math.floor(fraction * fp.size))
        }
      })
    } catch (error) {
      // Parts of an unfinished upload are stored (and billed) until aborted.
      if (uploadId !== undefined) {
        await oss.abortMultipartUpload(key, uploadId, { timeout: requestTimeoutMs }).catch((abortError: unknown) => {
          log.warning(
            `Could not abort the unfinished multipart upload ${uploadId} of ${this.location}: ${toOssError('AbortMultipartUpload', abortError).message}`
          )
        })
      }
      throw error
    }
  }
}
