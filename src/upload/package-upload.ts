/**
 * The uploads of a package of several files: each file on its own, two at a time, each retried on
 * its own. Each upload streams its file and digests it on the way, so memory grows with the uploads
 * in flight, never with the number or the size of the files.
 */
import type { Logger } from '../contract/logger.js'
import type { PackageFile } from '../files/package-files.js'
import type { Retrier } from '../platform/retrier.js'
import type { SignMethod } from '../platform/rules.js'
import { releaseUpload } from './release.js'
import type { FirmwareUploader, UploadedFirmware } from './uploader.js'

/** Uploads in flight at once: enough to keep the link busy while the other digests, few enough to keep memory flat. */
export const PARALLEL_UPLOADS = 2

export interface FileUpload {
  readonly file: PackageFile
  readonly uploader: FirmwareUploader
}

export interface UploadedFile {
  readonly file: PackageFile
  readonly uploaded: UploadedFirmware
}

interface PackageUploadDeps {
  /** The run's retry: one call of an uploader is one attempt. */
  retry: Retrier
  log: Pick<Logger, 'info' | 'warning'>
  /** Fails clearly when a file vanished or changed since it was found (checked before each attempt). */
  recheck?: (file: PackageFile) => Promise<void>
}

/**
 * Runs `work` on each item, at most `limit` at a time, in order. After a failure no item starts;
 * those in flight finish. Returns what succeeded (by index) and the first failure.
 */
export async function eachLimited<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>
): Promise<{ done: Map<number, R>; failure?: { error: unknown } }> {
  const done = new Map<number, R>()
  let failure: { error: unknown } | undefined
  let next = 0
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const index = next++
      try {
        done.set(index, await work(items[index] as T))
      } catch (error) {
        failure ??= { error }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return { done, failure }
}

/**
 * Uploads every file (with the digests `methods` computed on the way), PARALLEL_UPLOADS at a time.
 * When one fails for good no package will be made: what the others uploaded is released (removed
 * when this run wrote it, else said to stay), and the failure is thrown.
 */
export async function uploadFiles(uploads: readonly FileUpload[], methods: readonly SignMethod[], deps: PackageUploadDeps): Promise<UploadedFile[]> {
  const { done, failure } = await eachLimited(uploads, PARALLEL_UPLOADS, ({ file, uploader }) =>
    deps.retry(`Upload of ${file.displayPath}`, async () => {
      await deps.recheck?.(file)
      return uploader.upload(file, methods)
    })
  )
  if (failure) {
    for (const uploaded of done.values()) await releaseUpload(uploaded, false, deps.log, 'another file of the package failed to upload')
    throw failure.error
  }
  return uploads.map(({ file }, index) => ({ file, uploaded: done.get(index) as UploadedFirmware }))
}
