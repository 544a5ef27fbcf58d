import { ApiError } from '../net/api-error.js'
import { idOf, listOf, numberOf, objectOf, stringsOf, textOf, type AnswerObject } from '../platform/answer.js'
import { JOB_PAGE_SIZE_MAX } from './rules.js'
import type { DownloadProtocol } from './rules.js'

/** Parameters every job kind takes (names as the official SDK's models spell them). */
interface JobParams {
  FirmwareId: string
  ProductKey: string
  TimeoutInMinutes?: number
  NeedPush?: boolean
  NeedConfirm?: boolean
  DownloadProtocol?: DownloadProtocol
}

export interface VerifyJobParams extends JobParams {
  TargetDeviceName: readonly string[]
}

/** What static and dynamic batch jobs share. */
interface UpgradeJobParams extends JobParams {
  MaximumPerMinute?: number
  RetryInterval?: number
  RetryCount?: number
  OverwriteMode?: number
  SrcVersion?: readonly string[]
  GroupId?: string
  GroupType?: string
}

export interface StaticJobParams extends UpgradeJobParams {
  TargetSelection: 'ALL' | 'GRAY' | 'SPECIFIC' | 'GROUP'
  GrayPercent?: string
  TargetDeviceName?: readonly string[]
  /** Epoch milliseconds. */
  ScheduleTime?: number
}

export interface DynamicJobParams extends UpgradeJobParams {
  DynamicMode?: 1 | 2
}

export interface CreatedJob {
  JobId: string
  UtcCreate: string
}

/** One row of ListOTAJobByFirmware. */
export interface JobSummary {
  JobId: string
  JobStatus: string
  JobType: string
  SelectionType?: string
  TargetSelection?: string
  UtcCreate?: string
  UtcEndTime?: string
}

/** QueryOTAJob's Data, the fields the actions read. */
export interface JobDetail extends JobSummary {
  FirmwareId?: string
  DestVersion?: string
  GrayPercent?: string
  GroupId?: string
  SrcVersions: string[]
  TimeoutInMinutes?: number
  UtcScheduleTime?: string
  DynamicMode?: number
}

/** One row of ListOTATaskByJob. `Progress` is the last reported step, a number here. */
export interface OtaTask {
  TaskId: string
  DeviceName: string
  TaskStatus: string
  Progress: number
  TaskDesc?: string
  SrcVersion?: string
  DestVersion?: string
  UtcModified?: string
}

export interface TaskPage {
  Tasks: OtaTask[]
  Total: number
  CurrentPage: number
  PageSize: number
  PageCount: number
}

/** QueryOTAFirmware's verification state. */
export interface FirmwareState {
  FirmwareId: string
  Status: number
  VerifyProgress: number
  DestVersion?: string
  SrcVersion?: string
  FirmwareName?: string
}

/** CancelOTATaskByJob's flags: at least one must be given. */
export interface CancelFlags {
  CancelScheduledTask?: boolean
  CancelQueuedTask?: boolean
  CancelNotifiedTask?: boolean
  CancelInProgressTask?: boolean
  CancelUnconfirmedTask?: boolean
}

/** The OTA job operations verify and rollout make. Tests supply their own. */
export interface JobsApi {
  createVerifyJob(params: VerifyJobParams): Promise<CreatedJob>
  createStaticUpgradeJob(params: StaticJobParams): Promise<CreatedJob>
  createDynamicUpgradeJob(params: DynamicJobParams): Promise<CreatedJob>
  queryJob(jobId: string): Promise<JobDetail>
  listTasksByJob(jobId: string, page: number, pageSize: number, status?: string): Promise<TaskPage>
  /** Every job of the package (all pages). */
  listJobsByFirmware(firmwareId: string): Promise<JobSummary[]>
  cancelTasksByJob(jobId: string, flags: CancelFlags): Promise<void>
  cancelStrategyByJob(jobId: string): Promise<void>
  queryFirmware(firmwareId: string): Promise<FirmwareState>
}

export type RpcValue = string | number | boolean | undefined
/** Sends one RPC operation and returns its parsed answer; throws on an error answer. */
type RpcCall = (action: string, params: Record<string, RpcValue>) => Promise<unknown>

type Params = Readonly<Record<string, RpcValue | readonly string[]>>

/** Lists go as `Name.1`, `Name.2`, … (1-based), as the API documents. */
export function flattenParams(params: Params): Record<string, RpcValue> {
  const flat: Record<string, RpcValue> = {}
  for (const [name, value] of Object.entries(params)) {
    if (Array.isArray(value)) value.forEach((item: string, i) => (flat[`${name}.${i + 1}`] = item))
    else flat[name] = value as RpcValue
  }
  return flat
}

function malformed(action: string): (what: string) => ApiError {
  return (what) => new ApiError(action, 'MalformedAnswer', `the answer has no ${what}`, 200)
}

function createdOf(action: string, answer: unknown): CreatedJob {
  const data = objectOf(answer, 'Data')
  return { JobId: idOf(data, 'JobId', malformed(action)), UtcCreate: textOf(data, 'UtcCreate') ?? '' }
}

function summaryOf(action: string, row: unknown): JobSummary {
  return {
    JobId: idOf(row, 'JobId', malformed(action)),
    JobStatus: textOf(row, 'JobStatus') ?? '',
    JobType: textOf(row, 'JobType') ?? '',
    SelectionType: textOf(row, 'SelectionType'),
    TargetSelection: textOf(row, 'TargetSelection'),
    UtcCreate: textOf(row, 'UtcCreate'),
    UtcEndTime: textOf(row, 'UtcEndTime')
  }
}

function detailOf(answer: unknown): JobDetail {
  const data = objectOf(answer, 'Data')
  if (data === undefined) throw malformed('QueryOTAJob')('Data')
  return {
    ...summaryOf('QueryOTAJob', data),
    FirmwareId: textOf(data, 'FirmwareId'),
    DestVersion: textOf(data, 'DestVersion'),
    GrayPercent: textOf(data, 'GrayPercent'),
    GroupId: textOf(data, 'GroupId'),
    SrcVersions: stringsOf(data, 'SrcVersions', 'SrcVersion'),
    TimeoutInMinutes: numberOf(data, 'TimeoutInMinutes'),
    UtcScheduleTime: textOf(data, 'UtcScheduleTime'),
    DynamicMode: numberOf(data, 'DynamicMode')
  }
}

function taskOf(row: AnswerObject): OtaTask {
  return {
    TaskId: idOf(row, 'TaskId', malformed('ListOTATaskByJob')),
    DeviceName: textOf(row, 'DeviceName') ?? '',
    TaskStatus: textOf(row, 'TaskStatus') ?? '',
    Progress: numberOf(row, 'Progress') ?? 0,
    TaskDesc: textOf(row, 'TaskDesc'),
    SrcVersion: textOf(row, 'SrcVersion'),
    DestVersion: textOf(row, 'DestVersion'),
    UtcModified: textOf(row, 'UtcModified')
  }
}

function pageOf(answer: unknown, page: number, pageSize: number): TaskPage {
  const tasks = listOf(answer, 'Data', 'SimpleOTATaskInfo').map(taskOf)
  const total = numberOf(answer, 'Total') ?? tasks.length
  return {
    Tasks: tasks,
    Total: total,
    CurrentPage: numberOf(answer, 'CurrentPage') ?? page,
    PageSize: numberOf(answer, 'PageSize') ?? pageSize,
    PageCount: numberOf(answer, 'PageCount') ?? Math.ceil(total / pageSize)
  }
}

function firmwareOf(answer: unknown, firmwareId: string): FirmwareState {
  const info = objectOf(answer, 'FirmwareInfo') ?? objectOf(objectOf(answer, 'Data'), 'FirmwareInfo')
  const status = numberOf(info, 'Status')
  if (status === undefined) throw malformed('QueryOTAFirmware')('FirmwareInfo.Status')
  return {
    FirmwareId: textOf(info, 'FirmwareId') ?? firmwareId,
    Status: status,
    VerifyProgress: numberOf(info, 'VerifyProgress') ?? 0,
    DestVersion: textOf(info, 'DestVersion'),
    SrcVersion: textOf(info, 'SrcVersion'),
    FirmwareName: textOf(info, 'FirmwareName')
  }
}

async function allJobs(call: RpcCall, firmwareId: string): Promise<JobSummary[]> {
  const jobs: JobSummary[] = []
  for (let page = 1; ; page++) {
    const answer = await call('ListOTAJobByFirmware', { FirmwareId: firmwareId, CurrentPage: page, PageSize: JOB_PAGE_SIZE_MAX })
    const rows = listOf(answer, 'Data', 'SimpleOTAJobInfo')
    jobs.push(...rows.map((row) => summaryOf('ListOTAJobByFirmware', row)))
    const pageCount = numberOf(answer, 'PageCount') ?? Math.ceil((numberOf(answer, 'Total') ?? 0) / JOB_PAGE_SIZE_MAX)
    if (rows.length === 0 || page >= pageCount) return jobs
  }
}

/** The typed job operations over one RPC caller (either API variant: answers are read in any casing). */
export function createJobsApi(call: RpcCall): JobsApi {
  return {
    createVerifyJob: async (p) => createdOf('CreateOTAVerifyJob', await call('CreateOTAVerifyJob', flattenParams({ ...p }))),
    createStaticUpgradeJob: async (p) => createdOf('CreateOTAStaticUpgradeJob', await call('CreateOTAStaticUpgradeJob', flattenParams({ ...p }))),
    createDynamicUpgradeJob: async (p) => createdOf('CreateOTADynamicUpgradeJob', await call('CreateOTADynamicUpgradeJob', flattenParams({ ...p }))),
    queryJob: async (jobId) => detailOf(await call('QueryOTAJob', { JobId: jobId })),
    async listTasksByJob(jobId, page, pageSize, status) {
      const answer = await call('ListOTATaskByJob', { JobId: jobId, CurrentPage: page, PageSize: pageSize, TaskStatus: status })
      return pageOf(answer, page, pageSize)
    },
    listJobsByFirmware: (firmwareId) => allJobs(call, firmwareId),
    async cancelTasksByJob(jobId, flags) {
      await call('CancelOTATaskByJob', { JobId: jobId, ...flags })
    },
    async cancelStrategyByJob(jobId) {
      await call('CancelOTAStrategyByJob', { JobId: jobId })
    },
    queryFirmware: async (firmwareId) => firmwareOf(await call('QueryOTAFirmware', { FirmwareId: firmwareId }), firmwareId)
  }
}
