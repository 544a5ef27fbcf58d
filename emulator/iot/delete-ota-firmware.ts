import type { EmulatorContext } from '../server/context.js'
import { BusinessError } from '../server/responses.js'
import type { FirmwareRecord } from '../state/store.js'
import { findFirmware, type OperationCall } from './operation.js'

/** Job states in which a package is still being pushed, or will be. */
const UNFINISHED_JOB_STATUSES: ReadonlySet<string> = new Set(['PLANNED', 'IN_PROGRESS'])

/** The package's jobs, of any type, that are planned or running. */
function unfinishedJobs(firmware: FirmwareRecord, context: EmulatorContext, now: number): string[] {
  context.jobs.advance(now)
  return context.jobs
    .jobsOf(firmware.FirmwareId)
    .filter((job) => UNFINISHED_JOB_STATUSES.has(context.jobs.jobStatus(job, now).status))
    .map((job) => job.id)
}

/** The URLs of the package's files: its FirmwareUrl, or each of its MultiFiles. */
function fileUrls(firmware: FirmwareRecord): string[] {
  return [...(firmware.FirmwareUrl === undefined ? [] : [firmware.FirmwareUrl]), ...(firmware.MultiFiles ?? []).map((file) => file.Url)]
}

/**
 * DeleteOTAFirmware: the package goes, its slot in the quota is free again, and the files it
 * uploaded to the platform's bucket go with it (unless another package registered the same URL).
 * A package with a PLANNED or IN_PROGRESS job is refused: the documentation says nothing of it, and
 * deleting a package devices are still downloading is the reading that loses data.
 */
export function deleteOtaFirmware({ params, now, context }: OperationCall): Record<string, unknown> {
  const firmware = findFirmware(params, context)
  const unfinished = unfinishedJobs(firmware, context, now)
  if (unfinished.length > 0) {
    throw new BusinessError(
      'iot.system.IllegalRequest',
      `The OTA update package ${firmware.FirmwareId} has unfinished jobs (PLANNED or IN_PROGRESS): ${unfinished.join(', ')}. ` +
        'Cancel them (CancelOTATaskByJob; CancelOTAStrategyByJob for a dynamic job) before deleting the package.'
    )
  }
  const { store } = context
  store.firmwares.delete(firmware.FirmwareId)
  const stillUsed = new Set([...store.firmwares.values()].flatMap(fileUrls))
  for (const url of fileUrls(firmware)) if (!stillUsed.has(url)) store.forgetUpload(url)
  return {}
}
