/** What becomes of an upload no package will refer to: removed when this run wrote it, else said to stay. */
import { describeError } from '../contract/action-error.js'
import type { Logger } from '../contract/logger.js'
import type { UploadedFirmware } from './uploader.js'

/**
 * Every registration attempt was refused (or none was made): no package refers to the upload, so it
 * is removed, or what stays is said. After an attempt whose outcome is unknown (`unsure`: no answer,
 * or a 5xx after the platform may have acted) a package may refer to it, and it is kept. Never throws.
 */
export async function releaseUpload(uploaded: UploadedFirmware, unsure: boolean, log: Pick<Logger, 'info' | 'warning'>, why: string): Promise<void> {
  if (uploaded.discard && !unsure) {
    await uploaded.discard().then(
      () => log.info(`Removed ${uploaded.firmwareUrl}, which this run uploaded, since ${why}.`),
      (discardError: unknown) => log.warning(`Could not remove ${uploaded.firmwareUrl} after ${why}: ${describeError(discardError)}`)
    )
  } else if (uploaded.discard) {
    log.warning(
      `Kept ${uploaded.firmwareUrl}: the outcome of a CreateOTAFirmware attempt is unknown (no answer came back, or the platform failed with a 5xx after it may have acted), so a package may refer to it.`
    )
  } else if (uploaded.leftBehind) {
    log.warning(uploaded.leftBehind)
  }
}
