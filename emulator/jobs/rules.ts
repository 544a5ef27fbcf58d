import { REAL_MINUTE_MS } from './clock.js'
import { jobErrors } from './errors.js'
import { checkTags, type Tag } from './tags.js'
import type { RpcParams } from '../iot/rpc-params.js'

/** The documented limits of the OTA job APIs, in one place. */
export const JOB_LIMITS = {
  verifyDevices: 10,
  specificDevices: 200,
  srcVersions: 10,
  timeoutMinutes: { min: 1, max: 1440 },
  maximumPerMinute: { min: 10, max: 10_000 },
  retryIntervals: [0, 10, 30, 60, 1440],
  retryCounts: [1, 2, 5],
  scheduleWindowMs: { min: 5 * REAL_MINUTE_MS, max: 7 * 24 * 60 * REAL_MINUTE_MS },
  scheduleFinishWindowMs: { min: 60 * REAL_MINUTE_MS, max: 30 * 24 * 60 * REAL_MINUTE_MS },
  taskPageSize: 100,
  taskPageWindow: 100_000,
  taskDeviceNames: 50,
  jobPageSize: 200,
  /** ReupgradeOTATask and ConfirmOTATask: TaskId.N. */
  taskIds: 10,
  /** CancelOTATaskByDevice: DeviceName.N. */
  cancelDevices: 200
} as const

const DOWNLOAD_PROTOCOLS = ['HTTPS', 'MQTT'] as const
export const TARGET_SELECTIONS = ['ALL', 'GRAY', 'SPECIFIC', 'GROUP'] as const
export type TargetSelection = (typeof TARGET_SELECTIONS)[number]
/** GroupType per job kind (documented). */
export const GROUP_TYPES = { static: 'LINK_PLATFORM', dynamic: 'LINK_PLATFORM_DYNAMIC' } as const

/** What every job kind takes. */
export interface CommonSettings {
  timeoutMinutes?: number
  needPush: boolean
  needConfirm: boolean
  downloadProtocol: string
  tags: Tag[]
}

/** What static and dynamic batches add. */
export interface BatchSettings {
  maximumPerMinute: number
  retry?: { intervalMinutes: number; count: number }
  overwriteMode: 1 | 2
  multiModuleMode: boolean
}

function inRange(value: number | undefined, range: { min: number; max: number }): boolean {
  return value === undefined || (value >= range.min && value <= range.max)
}

export function readCommon(params: RpcParams): CommonSettings {
  const timeoutMinutes = params.integer('TimeoutInMinutes')
  if (!inRange(timeoutMinutes, JOB_LIMITS.timeoutMinutes)) throw jobErrors.invalidTimeout()
  const downloadProtocol = params.optional('DownloadProtocol') ?? 'HTTPS'
  if (!(DOWNLOAD_PROTOCOLS as readonly string[]).includes(downloadProtocol)) throw jobErrors.invalidFormat('DownloadProtocol', downloadProtocol)
  return {
    timeoutMinutes,
    needPush: params.boolean('NeedPush') ?? true,
    needConfirm: params.boolean('NeedConfirm') ?? false,
    downloadProtocol,
    tags: checkTags(params.tags())
  }
}

function readRetry(params: RpcParams, timeoutMinutes: number | undefined): BatchSettings['retry'] {
  const interval = params.integer('RetryInterval')
  const count = params.integer('RetryCount')
  if (interval === undefined) {
    if (count !== undefined) throw jobErrors.illegal('RetryCount needs RetryInterval.')
    return undefined
  }
  if (!(JOB_LIMITS.retryIntervals as readonly number[]).includes(interval)) throw jobErrors.invalidFormat('RetryInterval', String(interval))
  if (count === undefined) throw jobErrors.nullParameter('RetryCount is required when RetryInterval is set.')
  if (!(JOB_LIMITS.retryCounts as readonly number[]).includes(count)) throw jobErrors.invalidFormat('RetryCount', String(count))
  if (timeoutMinutes !== undefined && interval >= timeoutMinutes) throw jobErrors.illegal('RetryInterval must be less than TimeoutInMinutes.')
  return { intervalMinutes: interval, count }
}

export function readBatch(params: RpcParams, timeoutMinutes: number | undefined): BatchSettings {
  const maximumPerMinute = params.integer('MaximumPerMinute') ?? JOB_LIMITS.maximumPerMinute.max
  if (!inRange(maximumPerMinute, JOB_LIMITS.maximumPerMinute)) throw jobErrors.invalidMaximumPerMinute()
  const overwriteMode = params.integer('OverwriteMode') ?? 1
  if (overwriteMode !== 1 && overwriteMode !== 2) throw jobErrors.invalidFormat('OverwriteMode', String(overwriteMode))
  const multiModuleMode = params.boolean('MultiModuleMode') ?? false
  if (multiModuleMode && overwriteMode === 2) throw jobErrors.illegal('OverwriteMode 2 cannot be combined with MultiModuleMode=true.')
  return { maximumPerMinute, retry: readRetry(params, timeoutMinutes), overwriteMode, multiModuleMode }
}

/** A list without duplicates, of at most `max` entries. */
export function readDistinct(params: RpcParams, name: string, max: number, tooMany = jobErrors.tooManyDevices): string[] {
  const values = params.list(name)
  if (values.length > max) throw tooMany(`${name}.N`, max)
  const seen = new Set<string>()
  for (const value of values) {
    if (seen.has(value)) throw jobErrors.illegal(`${name}.N lists ${value} twice.`)
    seen.add(value)
  }
  return values
}

/** GrayPercent: a percentage with at most 3 decimals, above 0 and at most 100; in thousandths of a percent. */
export function readGrayPercent(value: string): number {
  const match = /^(\d{1,3})(?:\.(\d{1,3}))?$/.exec(value)
  const thousandths = match ? Number(match[1]) * 1000 + Number((match[2] ?? '').padEnd(3, '0')) : NaN
  if (!(thousandths > 0 && thousandths <= 100_000)) throw jobErrors.invalidFormat('GrayPercent', value)
  return thousandths
}

/** How many of `count` devices a gray percentage takes: rounded down, at least one. */
export function grayCount(count: number, thousandths: number): number {
  if (count === 0) return 0
  return Math.max(1, Math.floor((count * thousandths) / 100_000))
}

export interface Schedule {
  scheduleTime?: number
  scheduleFinishTime?: number
}

/** ScheduleTime 5 min to 7 days ahead; ScheduleFinishTime 1 h to 30 days after it (real milliseconds). */
export function readSchedule(params: RpcParams, now: number): Schedule {
  const scheduleTime = params.integer('ScheduleTime')
  const scheduleFinishTime = params.integer('ScheduleFinishTime')
  const window = JOB_LIMITS.scheduleWindowMs
  if (scheduleTime !== undefined && !inRange(scheduleTime - now, window)) {
    throw jobErrors.illegal('ScheduleTime must be a millisecond timestamp from 5 minutes to 7 days after now.')
  }
  if (scheduleFinishTime !== undefined) {
    if (scheduleTime === undefined) throw jobErrors.illegal('ScheduleFinishTime needs ScheduleTime.')
    if (!inRange(scheduleFinishTime - scheduleTime, JOB_LIMITS.scheduleFinishWindowMs)) {
      throw jobErrors.illegal('ScheduleFinishTime must be from 1 hour to 30 days after ScheduleTime.')
    }
  }
  return { scheduleTime, scheduleFinishTime }
}

/** CurrentPage and PageSize: whole numbers from 1, PageSize at most `maxSize`. */
export function readPage(params: RpcParams, maxSize: number, defaults?: { page: number; size: number }): { page: number; size: number } {
  const read = (name: string, max: number, fallback: number | undefined) => {
    const value = fallback === undefined ? params.required(name) : (params.optional(name) ?? String(fallback))
    const n = /^\d{1,9}$/.test(value) ? Number(value) : 0
    if (n < 1 || n > max) throw jobErrors.invalidPage(name, value)
    return n
  }
  return { page: read('CurrentPage', Number.MAX_SAFE_INTEGER, defaults?.page), size: read('PageSize', maxSize, defaults?.size) }
}
