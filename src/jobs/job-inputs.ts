import type { InputReader } from '../config/readers.js'
import { JOB_DEFAULTS, VERIFY_INPUT } from '../contract/names.js'
import { readBoolean, readEnum, readId, readList, readOptionalNumber } from '../config/readers.js'
import { DEVICE_NAME_PATTERN, DOWNLOAD_PROTOCOLS, TIMEOUT_MINUTES, type DownloadProtocol } from '../platform/job-rules.js'

/** GitHub ends a self-hosted job after 5 days: no wait is useful beyond that. */
const WAIT_MINUTES_MAX = 7200

// The names both actions share have the same value in VERIFY_INPUT and ROLLOUT_INPUT.
const NAME = VERIFY_INPUT

/** What every job takes, verify or batch. */
export interface JobBasics {
  readonly productKey: string
  readonly firmwareId: string
  /** TimeoutInMinutes; undefined leaves it to the platform. */
  readonly timeoutInMinutes?: number
  readonly needPush: boolean
  readonly needConfirm: boolean
  readonly downloadProtocol: DownloadProtocol
}

export function readJobBasics(read: InputReader): JobBasics {
  return {
    productKey: readId(read, NAME.productKey, 'the ProductKey of the devices and the package'),
    firmwareId: readId(read, NAME.firmwareId, "the package's FirmwareId (the publish step's firmware-id output)"),
    timeoutInMinutes: readOptionalNumber(read, NAME.timeoutMinutes, TIMEOUT_MINUTES.min, TIMEOUT_MINUTES.max, true),
    needPush: readBoolean(read, NAME.needPush, JOB_DEFAULTS.needPush),
    needConfirm: readBoolean(read, NAME.needConfirm, JOB_DEFAULTS.needConfirm),
    downloadProtocol: readEnum(read, NAME.downloadProtocol, DOWNLOAD_PROTOCOLS, JOB_DEFAULTS.downloadProtocol)
  }
}

/** DeviceNames, one per line or separated by commas, at most `max`. */
export function readDevices(read: InputReader, max: number, required: boolean): string[] {
  return readList(read, NAME.devices, {
    max,
    pattern: DEVICE_NAME_PATTERN,
    what: 'DeviceNames',
    allowed: 'must be a DeviceName: 4 to 32 letters, digits, "-", "_", ".", "@" or ":"',
    required
  })
}

/** `wait-minutes`: how long to follow the job, from `min`; `fallback` when empty. */
export function readWaitMinutes(read: InputReader, min: number, fallback: number): number {
  return readOptionalNumber(read, NAME.waitMinutes, min, WAIT_MINUTES_MAX, false) ?? fallback
}
