import { invalidInput, type ActionError } from '../contract/action-error.js'
import { VERIFY_INPUT } from '../contract/names.js'
import type { FirmwareDetail } from '../platform/models.js'
import type { DownloadProtocol } from '../platform/job-rules.js'

/**
 * An MQTT download carries one file (of at most 16 MB), so a package of several files is HTTPS only:
 * refused before any job, from the package's state the job actions read first.
 */
export function protocolRefusal(firmware: Pick<FirmwareDetail, 'FirmwareId' | 'MultiFiles'>, protocol: DownloadProtocol): ActionError | undefined {
  const files = firmware.MultiFiles
  if (protocol !== 'MQTT' || files === undefined) return undefined
  return invalidInput(
    VERIFY_INPUT.downloadProtocol,
    protocol,
    `package ${firmware.FirmwareId} holds ${files.length} files (${files.map((f) => f.Name).join(', ')}), and MQTT downloads carry a single file`,
    `Leave '${VERIFY_INPUT.downloadProtocol}' at HTTPS (the default) for a package of several files.`
  )
}
