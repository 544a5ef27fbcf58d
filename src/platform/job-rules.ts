/**
 * The rules Alibaba Cloud IoT Platform documents for its OTA job operations (2018-01-20), in one
 * place: the verify and rollout inputs check against them before any request.
 */

/** CreateOTAVerifyJob: TargetDeviceName.N, at most 10 distinct devices. */
export const VERIFY_DEVICES_MAX = 10
/** CreateOTAStaticUpgradeJob: TargetDeviceName.N, at most 200 distinct devices. */
export const ROLLOUT_DEVICES_MAX = 200
/** SrcVersion.N: at most 10 distinct versions (static ALL/GRAY and dynamic jobs). */
export const SRC_VERSIONS_MAX = 10

/** RegisterDevice's rule for DeviceName: 4 to 32 letters, digits, `-`, `_`, `.`, `@`, `:`. */
export const DEVICE_NAME_PATTERN = /^[A-Za-z0-9_.@:-]{4,32}$/

/** The platform's minute (TimeoutInMinutes, `wait-minutes`), in milliseconds. */
export const MINUTE_MS = 60_000

/** TimeoutInMinutes of every job type, whole minutes. */
export const TIMEOUT_MINUTES = { min: 1, max: 1440 } as const
/** MaximumPerMinute: pushes per minute; the platform's default is the maximum. */
export const MAX_PER_MINUTE = { min: 10, max: 10_000 } as const
/** RetryInterval in minutes; it must stay below TimeoutInMinutes when both are set. */
export const RETRY_INTERVALS = [0, 10, 30, 60, 1440] as const
/** RetryCount; required with RetryInterval. */
export const RETRY_COUNTS = [1, 2, 5] as const
/** ScheduleTime: from 5 minutes to 7 days after now. */
export const SCHEDULE_WINDOW_MS = { min: 5 * 60_000, max: 7 * 24 * 60 * 60_000 } as const
/**
 * GrayPercent: the platform takes up to 3 decimals (the device count is rounded down, at least 1)
 * but echoes it with 2 (`"33.33"`): the action takes at most 2, so that a re-run recognises its own job.
 */
export const GRAY_PERCENT_PATTERN = /^\d{1,3}(\.\d{1,2})?$/

export const DOWNLOAD_PROTOCOLS = ['HTTPS', 'MQTT'] as const
export type DownloadProtocol = (typeof DOWNLOAD_PROTOCOLS)[number]

/** GroupType is `LINK_PLATFORM` for static jobs and `LINK_PLATFORM_DYNAMIC` for dynamic ones. */
export const GROUP_TYPE = { static: 'LINK_PLATFORM', dynamic: 'LINK_PLATFORM_DYNAMIC' } as const

/** OverwriteMode 1 keeps a device's pending task, 2 replaces it (never one in progress). */
export const OVERWRITE_MODE = { keep: 1, replace: 2 } as const

/** CancelOTATaskByDevice: DeviceName.N, at most 200 distinct devices a call. */
export const CANCEL_DEVICES_MAX = 200

/** ListOTATaskByJob: PageSize at most 100, and CurrentPage × PageSize at most 100,000. */
export const TASK_PAGE_SIZE_MAX = 100
export const TASK_ROWS_REACHABLE = 100_000
/** ListOTAJobByFirmware: PageSize is required, at most 200. */
export const JOB_PAGE_SIZE_MAX = 200

export const TASK_STATUSES = ['CONFIRM', 'QUEUED', 'NOTIFIED', 'IN_PROGRESS', 'SUCCEEDED', 'FAILED', 'CANCELED'] as const
export type TaskStatus = (typeof TASK_STATUSES)[number]
const FINAL_TASK_STATUSES: readonly TaskStatus[] = ['SUCCEEDED', 'FAILED', 'CANCELED']
/** Before IN_PROGRESS a device has not reported any progress (the job timeout has not started). */
export const UNREPORTED_TASK_STATUSES: readonly TaskStatus[] = ['CONFIRM', 'QUEUED', 'NOTIFIED']

export const UNFINISHED_JOB_STATUSES: readonly string[] = ['PLANNED', 'IN_PROGRESS']

export const JOB_TYPE = { verify: 'VERIFY_FIRMWARE', upgrade: 'UPGRADE_FIRMWARE' } as const

/** QueryOTAFirmware Status. Batch jobs are allowed when it is `notNeeded` or `verified`. */
export const FIRMWARE_STATUS = { notNeeded: -1, unverified: 0, verified: 1, verifying: 2, failed: 3 } as const

export function isFinalTask(status: string): boolean {
  return (FINAL_TASK_STATUSES as readonly string[]).includes(status)
}

/**
 * A new task for a device that is pending or upgrading in another batch fails (documented), but
 * the TaskDesc it then carries is not: these are the wordings taken to mean it. Such failures say
 * nothing about the package, so the failure budget never counts them.
 */
const BUSY_ELSEWHERE = [
  /another (batch|job|task)/i,
  /other (batch|job)/i,
  /(unfinished|pending|ongoing|existing) (upgrade )?task/i,
  /already (in|has) .*(batch|task)/i
]

export function isBusyElsewhere(taskDesc: string | undefined): boolean {
  return taskDesc !== undefined && BUSY_ELSEWHERE.some((pattern) => pattern.test(taskDesc))
}
