/**
 * The one object `upload-mode: oss` writes, and the requests on it. Each request is retried on its
 * own with the run's retry, so that one failed request costs that request again, not the upload.
 */
import type OSS from 'ali-oss'
import type { Credentials } from '../../config/connection.js'
import type { OssTarget } from '../../config/upload-settings.js'
import type { Artifact } from '../../files/artifact.js'
import type { FileFingerprint } from '../../files/fingerprint.js'
import { proxyRoute, throughProxy, type ProxyRoute } from '../../net/proxy.js'
import { isAmbiguous } from '../../net/transient.js'
import type { Retrier } from '../../platform/retrier.js'
import { formatBytes } from '../../report/format.js'
import { createProgressReporter } from '../../report/progress.js'
import { connectionUrl, createOssClient } from './client.js'
import { errorCode, toOssError } from './errors.js'
import { uploadInParts } from './multipart.js'
import { compareHeaders } from './object-check.js'
import { partRequests } from './part-requests.js'

/** From this size on a file goes up in parts, several at once; below it, one PutObject. */
export const MULTIPART_THRESHOLD_BYTES = 100 * 1024 * 1024
/** Request time allowed per MiB a request carries, on top of request-timeout-seconds (a 1 MiB/s floor). */
const MS_PER_MIB = 1000

export interface BucketObjectOptions {
  target: OssTarget
  /** The rendered `oss-key`. */
  key: string
  /** Absent only in a dry run without credentials, which uploads nothing. */
  credentials: Credentials | undefined
  requestTimeoutMs: number
  /** The run's retry, for each request on its own. */
  retry: Retrier
  now: () => number
  log: { info(message: string): void; warning(message: string): void; debug(message: string): void }
}

export interface HeadAnswer {
  res: { headers: object }
}

/** One attempt of a request: `earlierUnknown` says that an earlier attempt may have taken effect. */
export type RequestAttempt<T> = (oss: OSS, earlierUnknown: boolean) => Promise<T>

export interface RequestOptions {
  /** What the retry warnings name; `<operation> oss://bucket/key` by default. */
  what?: string
  /** Hears of each attempt whose outcome is unknown (no answer, or a 5xx). */
  onUnknown?: () => void
}

function isNotFound(error: unknown): boolean {
  return (error as { status?: unknown } | null)?.status === 404
}

export class BucketObject {
  readonly location: string
  /** Where requests go, for the proxy decision and its error messages. */
  readonly connection: URL
  readonly route: ProxyRoute | undefined
  readonly key: string
  /** Fires when the run is out of time: no part starts any more, those in flight are cut. */
  private readonly cancelled = new AbortController()
  private client: Promise<OSS> | undefined

  constructor(readonly options: BucketObjectOptions) {
    this.key = options.key
    this.location = `oss://${options.target.bucket}/${options.key}`
    this.connection = connectionUrl(options.target)
    this.route = proxyRoute(this.connection, options.requestTimeoutMs)
  }

  /**
   * One OSS request, retried on its own: each attempt's error is turned into the action's kinds
   * (proxy failures said as such) before the retry judges it.
   */
  send<T>(operation: string, attempt: RequestAttempt<T>, { what, onUnknown }: RequestOptions = {}): Promise<T> {
    const { target, credentials, requestTimeoutMs } = this.options
    let unknown = false
    return this.options.retry(what ?? `${operation} ${this.location}`, async () => {
      const oss = await (this.client ??= createOssClient(target, credentials, requestTimeoutMs, this.route))
      try {
        return await attempt(oss, unknown)
      } catch (error) {
        const failure = throughProxy(toOssError(operation, error), this.route, this.connection)
        if (isAmbiguous(failure)) {
          unknown = true
          onUnknown?.()
        }
        throw failure
      }
    })
  }

  /** The time a request carrying `bytes` may take. */
  timeoutFor(bytes: number): number {
    return this.options.requestTimeoutMs + Math.ceil(bytes / (1024 * 1024)) * MS_PER_MIB
  }

  /** HeadObject; undefined when there is no object at the key. */
  head(): Promise<HeadAnswer | undefined> {
    const timeout = this.options.requestTimeoutMs
    return this.send('HeadObject', (oss) =>
      oss.head(this.key, { timeout } as OSS.HeadObjectOptions).catch((error: unknown) => {
        if (isNotFound(error)) return undefined
        throw error
      })
    )
  }

  /** Whether the object holds the file: size and CRC-64 (or MD5) match. */
  async holds(fp: FileFingerprint): Promise<boolean> {
    const found = await this.head()
    return found !== undefined && compareHeaders(found.res.headers, fp).verdict === 'same'
  }

  async remove(): Promise<void> {
    await this.send('DeleteObject', (oss) => oss.delete(this.key, { timeout: this.options.requestTimeoutMs }))
  }

  /** Stops the upload: no part starts any more, those in flight are cut (the unfinished upload is still aborted). */
  cancel(): void {
    this.cancelled.abort()
  }

  /** PutObject below the multipart threshold, else parallel parts; never over an existing object. */
  async write(artifact: Artifact, fp: FileFingerprint): Promise<void> {
    if (fp.size < MULTIPART_THRESHOLD_BYTES) return this.putWhole(artifact, fp)
    const report = createProgressReporter(fp.size, this.options.now, (line) => this.options.log.info(line))
    const context = { key: this.key, location: this.location, size: fp.size, now: this.options.now, cancel: this.cancelled.signal, report }
    await uploadInParts(partRequests(this, artifact, fp), { ...context, log: this.options.log })
  }

  private async putWhole(artifact: Artifact, fp: FileFingerprint): Promise<void> {
    const { log, now } = this.options
    const started = now()
    log.info(`Uploading ${formatBytes(fp.size)} to ${this.location} (PutObject)`)
    const options = {
      timeout: this.timeoutFor(fp.size),
      headers: { 'Content-MD5': Buffer.from(fp.digests.MD5, 'hex').toString('base64'), 'x-oss-forbid-overwrite': 'true' }
    }
    const refused = await this.send('PutObject', async (oss, earlierUnknown) => {
      try {
        // The path, not a stream: each attempt reads the file afresh.
        await oss.put(this.key, artifact.path, options)
        return undefined
      } catch (error) {
        // An earlier attempt whose answer was lost may have written it: looked at below.
        if (earlierUnknown && errorCode(error) === 'FileAlreadyExists') return error
        throw error
      }
    })
    if (refused !== undefined && !(await this.holds(fp))) throw toOssError('PutObject', refused)
    log.info(`Uploaded ${formatBytes(fp.size)} in ${((now() - started) / 1000).toFixed(1)} s`)
  }
}
