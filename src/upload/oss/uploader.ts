/**
 * `upload-mode: oss`: puts the firmware into the user's own bucket with ali-oss, never overwriting
 * other content, verifies what arrived, and registers the object's URL.
 */
import type { SignMethod } from '../../platform/rules.js'
import type { Artifact } from '../../files/artifact.js'
import { INPUT } from '../../contract/names.js'
import { ActionError, describeError } from '../../contract/action-error.js'
import { fingerprintFile, type FileFingerprint } from '../../files/fingerprint.js'
import { TransportError } from '../../net/transport.js'
import { compareHeaders, type ObjectComparison } from './object-check.js'
import { errorCode } from './errors.js'
import { objectUrl } from './object-url.js'
import { BucketObject, MULTIPART_THRESHOLD_BYTES, type BucketObjectOptions, type HeadAnswer } from './bucket-object.js'
import type { FirmwareUploader, UploadedFirmware } from '../uploader.js'

interface OssUploadOptions extends BucketObjectOptions {
  /** The run's deadline: an upload in progress is given up (multipart parts are cancelled). */
  signal?: AbortSignal
}

/** HeadObject's answer against the local file. */
function compareFound(found: HeadAnswer, fp: FileFingerprint): ObjectComparison {
  return compareHeaders(found.res.headers, fp)
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
    return `whether the object exists could not be checked: ${describeError(error)}`
  }
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

function conflict(location: string, comparison: ObjectComparison, artifact: Artifact): ActionError {
  const what = comparison.verdict === 'unknown' ? 'an object whose content cannot be compared' : 'other content'
  return new ActionError(
    `${location} already holds ${what} (${comparison.remote}); ${artifact.displayPath} has ${comparison.local}. Nothing was overwritten.`,
    {
      input: INPUT.ossKey,
      hint: `Give each build its own key (add {version}, {sha} or {tag} to '${INPUT.ossKey}'), or delete the object if it is stale.`
    }
  )
}

/** The object is there with the same content: reuse it; other content: refuse. */
function reuseOrRefuse(object: BucketObject, found: HeadAnswer, fp: FileFingerprint, artifact: Artifact, log: OssUploadOptions['log']): void {
  const comparison = compareFound(found, fp)
  if (comparison.verdict !== 'same') throw conflict(object.location, comparison, artifact)
  log.info(`${object.location} already holds this file (${comparison.remote}); reusing it.`)
}

/** After the write: size and CRC-64 must match the file before the URL is registered. */
async function verifyStored(object: BucketObject, fp: FileFingerprint, log: OssUploadOptions['log']): Promise<void> {
  const stored = await object.head()
  const check = stored && compareFound(stored, fp)
  if (!check || check.verdict !== 'same') {
    // Damaged on the way: remove it, so that the next attempt is not refused as a conflict.
    await object.remove().catch(() => undefined)
    throw new TransportError(
      `${object.location} does not match the file after the upload (${check?.remote ?? 'object missing'}; expected ${check?.local ?? `${fp.size} bytes`})`,
      'network',
      true,
      'EBADDIGEST'
    )
  }
  log.info(`Verified ${object.location}: ${check.remote}`)
}

/**
 * The uploader for `upload-mode: oss`. One `upload` call is one attempt, each of its requests
 * retried on its own (an error that used up its retries is final, so the attempts do not multiply
 * them; another attempt is for an object that arrived damaged and was removed):
 * 1. digest the file (once per run): size, digests, CRC-64;
 * 2. HeadObject: an object with the same content is reused, other content is a conflict;
 * 3. PutObject with Content-MD5, or from 100 MiB on a multipart upload in parallel parts that
 *    resumes past failed requests and aborts what it leaves open (multipart.ts), both with
 *    `x-oss-forbid-overwrite` so that a concurrent writer is never overwritten;
 * 4. HeadObject again: size and CRC-64 must match the file before the URL is registered.
 */
export function createOssUploader(options: OssUploadOptions): FirmwareUploader {
  const { target, key, log } = options
  const object = new BucketObject(options)
  const firmwareUrl = objectUrl(target, key)
  let fingerprint: FileFingerprint | undefined
  // Set once this run has sent a write: an object found later may be its own, and is then its to remove.
  let wrote = false

  async function attempt(artifact: Artifact, signMethods: readonly SignMethod[]): Promise<UploadedFirmware> {
    fingerprint ??= await fingerprintFile(artifact.path, signMethods)
    const fp = fingerprint
    const result = (): UploadedFirmware => ({ firmwareUrl, size: fp.size, digests: fp.digests, discard: wrote ? () => object.remove() : undefined })
    const existing = await object.head()
    if (existing) {
      reuseOrRefuse(object, existing, fp, artifact, log)
      return result()
    }
    const wroteBefore = wrote
    wrote = true
    try {
      await object.write(artifact, fp)
    } catch (error) {
      // Someone (or an earlier attempt whose answer was lost) wrote the key since the check.
      if (errorCode(error) === 'FileAlreadyExists') {
        // This write did not land: the object is this run's only if an earlier attempt's did.
        wrote = wroteBefore
        const now = await object.head()
        if (now) {
          reuseOrRefuse(object, now, fp, artifact, log)
          return result()
        }
      }
      throw error
    }
    await verifyStored(object, fp, log)
    return result()
  }

  return {
    label: `Upload to ${object.location}`,
    firmwareUrl,
    async describe(artifact) {
      if (artifact === undefined) throw new Error('upload-mode oss needs the firmware file')
      const how = artifact.size < MULTIPART_THRESHOLD_BYTES ? 'PutObject' : 'a multipart upload'
      const state =
        options.credentials === undefined
          ? 'whether the object exists was not checked: no credentials were given'
          : await objectState(() => object.head(), artifact)
      return `Would upload ${artifact.displayPath} to ${object.location} (${how}, never overwriting) and register ${firmwareUrl}; ${state}.`
    },
    async upload(artifact, signMethods) {
      if (artifact === undefined) throw new Error('upload-mode oss needs the firmware file')
      return untilDeadline(attempt(artifact, signMethods), options.signal, () => object.cancel())
    }
  }
}
