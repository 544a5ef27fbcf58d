/**
 * Every IoT OTA operation the actions call, declared once: its name, the HTTP method the official
 * SDK sends it with (`@alicloud/iot20180120`, each `<op>WithOptions`), its parameters, how its
 * answer is read, and what repeating it after an unknown outcome would do:
 *
 * - `read`: nothing changes; retried freely.
 * - `idempotent`: a second call leaves the platform as the first did (a fresh upload form, a cancel);
 *   retried freely.
 * - `once`: a second call would act twice (a second package, job or delete): after an attempt whose
 *   outcome is unknown, the caller's lookup says whether it took effect before anything is resent.
 */
import type { AnswerObject } from './answer.js'
import type {
  CancelByDeviceParams,
  CancelFlags,
  CreatedFirmware,
  CreatedJob,
  CreateFirmwareParams,
  DeviceListTicket,
  DevicePage,
  DeviceState,
  DynamicJobParams,
  ModuleVersion,
  FirmwareDetail,
  FirmwareSummary,
  JobDetail,
  JobSummary,
  OtaModule,
  Params,
  StaticJobParams,
  TaskListParams,
  TaskPage,
  UploadTicket,
  UploadUrlParams,
  VerifyJobParams
} from './models.js'
import {
  readCreatedFirmware,
  readCreatedJob,
  readDeviceListTicket,
  readDevicePage,
  readDeviceStates,
  readFirmwareDetail,
  readFirmwarePage,
  readJobDetail,
  readJobPage,
  readModuleVersions,
  readModules,
  readTaskPage,
  readUploadTicket
} from './read-answers.js'

export type OperationKind = 'read' | 'idempotent' | 'once'

export interface Operation<P, R> {
  readonly name: string
  /** As the official SDK sends it; a gateway may refuse the other one (ListOTAModuleByProduct is GET only). */
  readonly method: 'GET' | 'POST'
  readonly kind: OperationKind
  /** The answer as the actions use it; `params` are the ones sent (paging, for one). */
  readonly read: (answer: AnswerObject, params: P) => R
  /** `once` operations: what an attempt did, for the log line when a lookup finds it done. */
  readonly describe?: (result: R) => string
}

function operation<P extends object, R>(
  name: string,
  method: 'GET' | 'POST',
  kind: OperationKind,
  read: (answer: AnswerObject, params: P) => R,
  describe?: (result: R) => string
): Operation<P, R> {
  return { name, method, kind, read, describe }
}

const nothing = (): void => undefined
/** What a delete answers: that it is done (the answer carries the common fields only). */
export const DELETED = 'deleted'
/** What the other writes without a body answer: that they are done. */
export const DONE = 'done'

/** A page of QueryDevice: `NextToken` from the previous answer once past the first page (required past row 10,000). */
interface DevicePageParams {
  ProductKey: string
  PageSize: number
  CurrentPage: number
  NextToken?: string
}

interface ModuleVersionParams {
  ProductKey: string
  DeviceName: string
  PageSize: number
  CurrentPage: number
}
const createJob = <P extends object>(name: string) =>
  operation<P, CreatedJob>(name, 'POST', 'once', readCreatedJob(name), (job) => `it created job ${job.JobId}`)

/** A page of ListOTAFirmware. */
interface FirmwarePageParams {
  ProductKey?: string
  DestVersion?: string
  CurrentPage: number
  PageSize: number
}

interface JobPageParams {
  FirmwareId: string
  CurrentPage: number
  PageSize: number
}

export const OPERATIONS = {
  generateUploadUrl: operation<UploadUrlParams, UploadTicket>('GenerateOTAUploadURL', 'POST', 'idempotent', readUploadTicket),
  createFirmware: operation<CreateFirmwareParams, CreatedFirmware>(
    'CreateOTAFirmware',
    'POST',
    'once',
    readCreatedFirmware,
    (created) => `it created package ${created.FirmwareId}`
  ),
  listFirmwarePage: operation<FirmwarePageParams, { rows: FirmwareSummary[]; pageCount: number; total?: number }>(
    'ListOTAFirmware',
    'POST',
    'read',
    readFirmwarePage
  ),
  queryFirmware: operation<{ FirmwareId: string }, FirmwareDetail>('QueryOTAFirmware', 'POST', 'read', readFirmwareDetail),
  deleteFirmware: operation<{ FirmwareId: string }, typeof DELETED>(
    'DeleteOTAFirmware',
    'POST',
    'once',
    () => DELETED,
    () => 'the package is gone'
  ),
  listModules: operation<{ ProductKey: string }, OtaModule[]>('ListOTAModuleByProduct', 'GET', 'read', readModules),
  createVerifyJob: createJob<VerifyJobParams>('CreateOTAVerifyJob'),
  createStaticUpgradeJob: createJob<StaticJobParams>('CreateOTAStaticUpgradeJob'),
  createDynamicUpgradeJob: createJob<DynamicJobParams>('CreateOTADynamicUpgradeJob'),
  queryJob: operation<{ JobId: string }, JobDetail>('QueryOTAJob', 'POST', 'read', readJobDetail),
  listJobPage: operation<JobPageParams, { rows: JobSummary[]; pageCount: number }>('ListOTAJobByFirmware', 'POST', 'read', (answer, p) =>
    readJobPage(answer, p.PageSize)
  ),
  listTasks: operation<TaskListParams, TaskPage>('ListOTATaskByJob', 'POST', 'read', readTaskPage),
  cancelTasksByJob: operation<CancelFlags & { JobId: string }, void>('CancelOTATaskByJob', 'POST', 'idempotent', nothing),
  cancelStrategyByJob: operation<{ JobId: string }, void>('CancelOTAStrategyByJob', 'POST', 'idempotent', nothing),
  cancelTasksByDevice: operation<CancelByDeviceParams, void>('CancelOTATaskByDevice', 'POST', 'idempotent', nothing),
  reupgradeTasks: operation<{ JobId: string; TaskId: readonly string[] }, typeof DONE>(
    'ReupgradeOTATask',
    'POST',
    'once',
    () => DONE,
    () => 'the tasks were pushed again'
  ),
  confirmTasks: operation<{ TaskId: readonly string[] }, typeof DONE>(
    'ConfirmOTATask',
    'POST',
    'once',
    () => DONE,
    () => 'the tasks were confirmed'
  ),
  queryDevicePage: operation<DevicePageParams, DevicePage>('QueryDevice', 'POST', 'read', readDevicePage),
  generateDeviceListUrl: operation<Record<string, never>, DeviceListTicket>('GenerateDeviceNameListURL', 'POST', 'idempotent', readDeviceListTicket),
  deviceStates: operation<{ ProductKey: string; DeviceName: readonly string[] }, DeviceState[]>('BatchGetDeviceState', 'POST', 'read', readDeviceStates),
  moduleVersionPage: operation<ModuleVersionParams, { rows: ModuleVersion[]; pageCount: number }>(
    'ListOTAModuleVersionsByDevice',
    'POST',
    'read',
    readModuleVersions
  )
} as const

/** Lists go as `Name.1`, `Name.2` (strings) or `Name.1.Field` (objects), 1-based, as the API documents; absent values are left out. */
export function flattenParams(params: Params): Record<string, string> {
  const flat: Record<string, string> = {}
  const put = (name: string, value: unknown): void => {
    if (value !== undefined) flat[name] = String(value)
  }
  for (const [name, value] of Object.entries(params)) {
    if (!Array.isArray(value)) put(name, value)
    else
      value.forEach((item: unknown, i: number) => {
        if (item !== null && typeof item === 'object') for (const [key, inner] of Object.entries(item)) put(`${name}.${i + 1}.${key}`, inner)
        else put(`${name}.${i + 1}`, item)
      })
  }
  return flat
}
