import { VERSION_PATTERN } from '../platform/rules.js'
import { ActionError, invalidInput } from '../contract/action-error.js'
import type { InputReader } from '../config/readers.js'
import type { Connection } from '../config/connection.js'
import type { TargetSelection } from '../platform/models.js'
import { readDevices, readJobBasics, readWaitMinutes, type JobBasics } from '../jobs/job-inputs.js'
import { JOB_DEFAULTS, ROLLOUT_INPUT as NAME } from '../contract/names.js'
import { readPlanSettings, type PlanSettings } from './plan/inputs.js'
import { optional, readBoolean, readChoice, readEnum, readList, readOptionalNumber } from '../config/readers.js'
import {
  GRAY_PERCENT_PATTERN,
  GROUP_TYPE,
  MAX_PER_MINUTE,
  RETRY_COUNTS,
  RETRY_INTERVALS,
  ROLLOUT_DEVICES_MAX,
  SCHEDULE_WINDOW_MS,
  SRC_VERSIONS_MAX
} from '../platform/job-rules.js'

const SELECTIONS = ['all', 'gray', 'devices', 'group'] as const
export type Selection = (typeof SELECTIONS)[number]

/** The static job's TargetSelection for each `selection`. */
export const TARGET_SELECTION: Readonly<Record<Selection, TargetSelection>> = { all: 'ALL', gray: 'GRAY', devices: 'SPECIFIC', group: 'GROUP' }

/** Which devices the batch targets. */
export interface RolloutScope {
  readonly selection: Selection
  /** With `gray`: the percentage as given (at most 3 decimals), sent as GrayPercent. */
  readonly grayPercent?: string
  /** With `devices`: 1 to 200 distinct DeviceNames. */
  readonly devices: readonly string[]
  readonly groupId?: string
  readonly groupType?: string
  /** Only devices on these versions (SrcVersion.N); only with `all` and `gray`. */
  readonly srcVersions: readonly string[]
  /** CreateOTADynamicUpgradeJob: devices that qualify later are upgraded too. */
  readonly dynamic: boolean
}

/** Everything the rollout action was asked to do, read once and validated. */
export interface RolloutInputs extends JobBasics, RolloutScope {
  readonly connection: Connection
  readonly maxPerMinute?: number
  readonly retryInterval?: number
  readonly retryCount?: number
  /** Epoch milliseconds (static jobs only). */
  readonly scheduleTime?: number
  /** OverwriteMode 2: replace the devices' pending tasks (never one in progress). */
  readonly overwrite: boolean
  /** 0: start the job and report it. */
  readonly waitMinutes: number
  /** The failure budget; undefined: none. */
  readonly maxFailurePercent?: number
  /** Finished devices needed before the budget applies (capped at the devices targeted). */
  readonly minFinishedDevices: number
  /** Plan mode (`stages`): a rollout in stages over the fleet; undefined: one job. */
  readonly plan?: PlanSettings
}

function refuse(name: string, value: string, when: string, hint?: string): never {
  throw new ActionError(`Input '${name}' is ${JSON.stringify(value)}, but it is only allowed ${when}.`, { input: name, hint })
}

function required(name: string, when: string): never {
  throw new ActionError(`Input '${name}' is required ${when}.`, { input: name })
}

function readGrayPercent(read: InputReader, selection: Selection): string | undefined {
  const value = optional(read, NAME.grayPercent)
  if (selection !== 'gray') return value === undefined ? undefined : refuse(NAME.grayPercent, value, `with '${NAME.selection}: gray'`)
  if (value === undefined) return required(NAME.grayPercent, `with '${NAME.selection}: gray'`)
  const percent = Number(value)
  if (!GRAY_PERCENT_PATTERN.test(value) || percent <= 0 || percent > 100) {
    throw invalidInput(
      NAME.grayPercent,
      value,
      'must be a percentage above 0 and at most 100, with at most 2 decimals (e.g. 5 or 33.33): the platform echoes GrayPercent with two, and a re-run finds its own job by it'
    )
  }
  return value
}

function readSrcVersions(read: InputReader, selection: Selection, dynamic: boolean): string[] {
  const versions = readList(read, NAME.srcVersions, {
    max: SRC_VERSIONS_MAX,
    pattern: VERSION_PATTERN,
    what: 'versions',
    allowed: 'must be a version: 1 to 64 letters, digits, ".", "-" or "_"',
    required: false
  })
  if (versions.length > 0 && (selection === 'devices' || selection === 'group')) {
    refuse(NAME.srcVersions, versions.join(','), `with '${NAME.selection}' all or gray (the platform refuses SrcVersion for device lists and groups)`)
  }
  if (dynamic && selection === 'all' && versions.length === 0) {
    required(NAME.srcVersions, `for a dynamic job on '${NAME.selection}: all' (the versions whose devices it upgrades, now and later)`)
  }
  return versions
}

function readGroup(read: InputReader, selection: Selection, dynamic: boolean): { groupId?: string; groupType?: string } {
  const groupId = optional(read, NAME.groupId)
  const groupType = optional(read, NAME.groupType)
  if (selection !== 'group') {
    if (groupId !== undefined) refuse(NAME.groupId, groupId, `with '${NAME.selection}: group'`)
    if (groupType !== undefined) refuse(NAME.groupType, groupType, `with '${NAME.selection}: group'`)
    return {}
  }
  if (groupId === undefined) required(NAME.groupId, `with '${NAME.selection}: group'`)
  const expected = dynamic ? GROUP_TYPE.dynamic : GROUP_TYPE.static
  if (groupType !== undefined && groupType !== expected) {
    throw invalidInput(NAME.groupType, groupType, `a ${dynamic ? 'dynamic' : 'static'} job takes only ${expected}`)
  }
  return { groupId, groupType: expected }
}

function readScope(read: InputReader): RolloutScope {
  const selection = readEnum<Selection>(read, NAME.selection, SELECTIONS, JOB_DEFAULTS.selection)
  const dynamic = readBoolean(read, NAME.dynamic, JOB_DEFAULTS.dynamic)
  if (dynamic && (selection === 'gray' || selection === 'devices')) {
    refuse(
      NAME.selection,
      selection,
      `as all or group for a dynamic job ('${NAME.dynamic}: true')`,
      'A dynamic job upgrades devices by version or dynamic group, not by percentage or name.'
    )
  }
  const devices = readDevices(read, ROLLOUT_DEVICES_MAX, selection === 'devices')
  if (selection !== 'devices' && devices.length > 0) refuse(NAME.devices, devices.join(','), `with '${NAME.selection}: devices'`)
  return {
    selection,
    dynamic,
    grayPercent: readGrayPercent(read, selection),
    devices,
    ...readGroup(read, selection, dynamic),
    srcVersions: readSrcVersions(read, selection, dynamic)
  }
}

const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})$/

function readScheduleTime(read: InputReader, dynamic: boolean, now: Date): number | undefined {
  const value = optional(read, NAME.scheduleTime)
  if (value === undefined) return undefined
  if (dynamic) refuse(NAME.scheduleTime, value, `for a static job ('${NAME.dynamic}: false')`)
  const time = Date.parse(value)
  if (!ISO_8601.test(value) || Number.isNaN(time)) {
    throw invalidInput(NAME.scheduleTime, value, 'must be an ISO 8601 time with a time zone, e.g. 2026-05-01T02:00:00Z or 2026-05-01T10:00+08:00')
  }
  if (!inScheduleWindow(time, now.getTime())) {
    throw invalidInput(NAME.scheduleTime, value, `must be from 5 minutes to 7 days after now (${now.toISOString()})`)
  }
  return time
}

/** Whether a ScheduleTime (epoch ms) is one the platform takes at `now`: from 5 minutes to 7 days ahead. */
export function inScheduleWindow(time: number, now: number): boolean {
  const ahead = time - now
  return ahead >= SCHEDULE_WINDOW_MS.min && ahead <= SCHEDULE_WINDOW_MS.max
}

/** How far off a ScheduleTime outside the window is, without rounding it into the window ("5 minutes" for 4:59.9). */
function howFar(aheadMs: number): string {
  if (aheadMs > SCHEDULE_WINDOW_MS.max) return `more than ${SCHEDULE_WINDOW_MS.max / 86_400_000} days from now`
  if (aheadMs > 0) {
    const seconds = Math.floor(aheadMs / 1000)
    return `only ${Math.floor(seconds / 60)} min ${seconds % 60} s from now`
  }
  const minutes = Math.floor(-aheadMs / 60_000)
  return minutes === 0 ? 'less than a minute ago' : `${minutes} minute(s) ago`
}

/**
 * The error for a `schedule-time` that was in the window when the inputs were read but has left
 * it by the time the job is created (the run waited for an earlier stage).
 */
export function scheduleExpired(time: number, now: number): ActionError {
  const when = howFar(time - now)
  return new ActionError(
    `Input '${NAME.scheduleTime}' is ${new Date(time).toISOString()}, ${when} at ${new Date(now).toISOString()}: the platform takes a ScheduleTime from 5 minutes to 7 days ahead, so no job was created.`,
    {
      input: NAME.scheduleTime,
      hint: `Waiting for the earlier stage took this long. Give a later '${NAME.scheduleTime}' and re-run: the re-run starts this stage without waiting again.`
    }
  )
}

function readRetry(read: InputReader, timeoutInMinutes: number | undefined): { retryInterval?: number; retryCount?: number } {
  const retryInterval = readChoice(read, NAME.retryInterval, RETRY_INTERVALS)
  const retryCount = readChoice(read, NAME.retryCount, RETRY_COUNTS)
  if (retryInterval === undefined) {
    return retryCount === undefined ? {} : refuse(NAME.retryCount, String(retryCount), `together with '${NAME.retryInterval}'`)
  }
  if (retryCount === undefined) required(NAME.retryCount, `with '${NAME.retryInterval}' (allowed values are ${RETRY_COUNTS.join(', ')})`)
  if (timeoutInMinutes !== undefined && retryInterval >= timeoutInMinutes) {
    throw invalidInput(NAME.retryInterval, String(retryInterval), `must be less than '${NAME.timeoutMinutes}' (${timeoutInMinutes})`)
  }
  return { retryInterval, retryCount }
}

/**
 * Reads and validates the rollout inputs (the connection comes parsed; `now` places the schedule
 * window). Throws an ActionError naming the input, the value and what is allowed, before any request.
 */
export function parseRolloutInputs(read: InputReader, connection: Connection, now: Date): RolloutInputs {
  // First: in plan mode the inputs that choose devices are refused by name before anything reads them.
  const plan = readPlanSettings(read, connection.apiVariant)
  const basics = readJobBasics(read)
  const scope = readScope(read)
  return {
    ...basics,
    ...scope,
    connection,
    maxPerMinute: readOptionalNumber(read, NAME.maxPerMinute, MAX_PER_MINUTE.min, MAX_PER_MINUTE.max, true),
    ...readRetry(read, basics.timeoutInMinutes),
    scheduleTime: readScheduleTime(read, scope.dynamic, now),
    overwrite: readBoolean(read, NAME.overwrite, JOB_DEFAULTS.overwrite),
    waitMinutes: readWaitMinutes(read, 0, JOB_DEFAULTS.rolloutWaitMinutes),
    maxFailurePercent: readOptionalNumber(read, NAME.maxFailurePercent, 0, 100, false),
    minFinishedDevices: readOptionalNumber(read, NAME.minFinishedDevices, 1, 1_000_000, true) ?? JOB_DEFAULTS.minFinishedDevices,
    plan
  }
}
