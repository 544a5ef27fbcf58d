import type { Environment, InputReader } from '../config/readers.js'
import { ActionError } from '../contract/action-error.js'
import { EMULATOR_ENV, INPUT, JOB_DEFAULTS, VERIFY_INPUT } from '../contract/names.js'
import { readBoolean, readEnum, readId, readList, readOptionalNumber } from '../config/readers.js'
import { DEVICE_NAME_PATTERN, DOWNLOAD_PROTOCOLS, MINUTE_MS, TIMEOUT_MINUTES, type DownloadProtocol } from './rules.js'

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

/**
 * How long one of the platform's minutes lasts: a real minute, except against the emulator run
 * with `--minute-ms N`, whose jobs play on a scaled clock; `OTA_EMULATOR_MINUTE_MS=N` then makes
 * `wait-minutes` and the poll waits count on that clock too. Refused with Alibaba Cloud's own
 * endpoints, whose minutes are always real.
 */
export function readPlatformMinute(env: Environment, endpoint: string): number {
  const name = EMULATOR_ENV.minuteMs
  const raw = env[name]?.trim() ?? ''
  if (raw === '') return MINUTE_MS
  if (!/^\d{1,5}$/.test(raw) || Number(raw) < 1 || Number(raw) > MINUTE_MS) {
    throw new ActionError(
      `Environment variable ${name} is ${JSON.stringify(raw)}: must be a whole number of milliseconds from 1 to ${MINUTE_MS} (the emulator's --minute-ms).`
    )
  }
  if (new URL(endpoint).hostname.endsWith('.aliyuncs.com')) {
    throw new ActionError(`Environment variable ${name} is set, but the endpoint ${endpoint} is Alibaba Cloud's, whose minutes are real.`, {
      input: INPUT.endpoint,
      hint: `${name} is for runs against the local emulator (input '${INPUT.endpoint}'): unset it for the platform.`
    })
  }
  return Number(raw)
}
