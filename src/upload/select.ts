import type { Artifact } from '../files/artifact.js'
import { fileName } from '../files/paths.js'
import type { Digests } from '../files/digest.js'
import type { SignMethod } from '../platform/rules.js'
import type { Inputs } from '../config/inputs.js'
import type { Retrier } from '../platform/retrier.js'
import { createOssUploader } from './oss/uploader.js'
import { createPlatformUploader, type PlatformUploadDeps } from './platform/uploader.js'
import { renderOssKey } from './oss/key.js'
import type { Plan } from '../plan/plan.js'
import type { FirmwareUploader } from './uploader.js'
import { createUrlRegistration } from './url/uploader.js'

interface UploaderDeps {
  /** Full commit SHA, for `{sha}` in `oss-key`. */
  sha: string
  signal?: AbortSignal
  /** The run's retry: `oss` retries each of its requests on its own with it. */
  retry: Retrier
  now: () => number
  log: { info(message: string): void; warning(message: string): void; debug(message: string): void }
  digestFile: (path: string, methods: readonly SignMethod[]) => Promise<{ size: number; digests: Digests }>
  /** The platform's upload (GenerateOTAUploadURL + PostObject); absent without credentials. */
  platform?: Omit<PlatformUploadDeps, 'debug'>
}

/**
 * The uploader `upload-mode` asks for; undefined only for `platform` without credentials (a dry
 * run). Everything that can fail on the inputs (the rendered object key) fails here, before any
 * request.
 */
export function createUploader(inputs: Inputs, plan: Plan, artifact: Artifact | undefined, deps: UploaderDeps): FirmwareUploader | undefined {
  const { upload } = inputs
  if (upload.mode === 'url') return createUrlRegistration(upload.url, { signMethod: plan.signMethod, digestFile: deps.digestFile })
  if (upload.mode === 'platform') return deps.platform && createPlatformUploader({ ...deps.platform, debug: deps.log.debug })
  if (artifact === undefined) throw new Error('upload-mode oss needs the firmware file')
  const key = renderOssKey(upload.oss.keyTemplate, {
    product: plan.productKey,
    module: plan.moduleName,
    version: plan.destVersion,
    name: plan.firmwareName,
    tag: plan.version.tag,
    sha: deps.sha || undefined,
    file: fileName(artifact.path)
  })
  return createOssUploader({
    target: upload.oss,
    key,
    credentials: inputs.credentials,
    requestTimeoutMs: inputs.requestTimeoutMs,
    retry: deps.retry,
    signal: deps.signal,
    now: deps.now,
    log: deps.log
  })
}
