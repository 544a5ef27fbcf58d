/**
 * The one IoT OTA client of every action: the operations of `operations.ts` over one signed caller
 * (either API variant), each call retried by its kind. Callers never retry a call themselves.
 */
import type { Logger } from '../contract/logger.js'
import type {
  CancelByDeviceParams,
  CancelFlags,
  CreatedFirmware,
  CreatedJob,
  CreateFirmwareParams,
  DeviceListTicket,
  DevicePage,
  DeviceState,
  ModuleVersion,
  DynamicJobParams,
  FirmwareDetail,
  FirmwareSummary,
  JobDetail,
  JobSummary,
  OtaModule,
  Params,
  StaticJobParams,
  TaskPage,
  UploadTicket,
  VerifyJobParams
} from './models.js'
import { JOB_PAGE_SIZE_MAX } from './job-rules.js'
import { DELETED, DONE, flattenParams, OPERATIONS, type Operation } from './operations.js'
import type { Retrier } from './retrier.js'
import type { RpcCall } from './rpc-caller.js'
import type { FileSuffix } from './rules.js'

/**
 * For an operation that must not act twice: after an attempt whose outcome is unknown (answer
 * lost, server failure), what that attempt made or did, if it took effect; undefined: it did not,
 * send again.
 */
export type Lookup<R> = () => Promise<R | undefined>

/** The IoT OTA operations the actions use. Tests supply their own. */
export interface IotApi {
  generateUploadUrl(fileSuffix: FileSuffix): Promise<UploadTicket>
  createFirmware(params: CreateFirmwareParams, lookup: Lookup<CreatedFirmware>): Promise<CreatedFirmware>
  /** Every package of the product with exactly this DestVersion (all pages). */
  listFirmware(productKey: string, destVersion: string): Promise<FirmwareSummary[]>
  /** Every package of the product, of every module and version (all pages). */
  listProductFirmware(productKey: string): Promise<FirmwareSummary[]>
  /** How many packages the account (the instance) holds: `Total` of ListOTAFirmware without ProductKey; undefined when the answer has none. */
  countFirmware(): Promise<number | undefined>
  queryFirmware(firmwareId: string): Promise<FirmwareDetail>
  deleteFirmware(firmwareId: string, lookup: Lookup<typeof DELETED>): Promise<typeof DELETED>
  /** The product's OTA modules (ListOTAModuleByProduct). */
  listModules(productKey: string): Promise<OtaModule[]>
  createVerifyJob(params: VerifyJobParams, lookup: Lookup<CreatedJob>): Promise<CreatedJob>
  createStaticUpgradeJob(params: StaticJobParams, lookup: Lookup<CreatedJob>): Promise<CreatedJob>
  createDynamicUpgradeJob(params: DynamicJobParams, lookup: Lookup<CreatedJob>): Promise<CreatedJob>
  queryJob(jobId: string): Promise<JobDetail>
  listTasksByJob(jobId: string, page: number, pageSize: number, status?: string): Promise<TaskPage>
  /** Every job of the package (all pages). */
  listJobsByFirmware(firmwareId: string): Promise<JobSummary[]>
  cancelTasksByJob(jobId: string, flags: CancelFlags): Promise<void>
  cancelStrategyByJob(jobId: string): Promise<void>
  /** CancelOTATaskByDevice (at most 200 devices a call). */
  cancelTasksByDevice(params: CancelByDeviceParams): Promise<void>
  /** ReupgradeOTATask: 1 to 10 FAILED tasks of one job pushed again. */
  reupgradeTasks(jobId: string, taskIds: readonly string[], lookup: Lookup<typeof DONE>): Promise<typeof DONE>
  /** ConfirmOTATask: 1 to 10 tasks waiting in CONFIRM released. */
  confirmTasks(taskIds: readonly string[], lookup: Lookup<typeof DONE>): Promise<typeof DONE>
  /** One page of QueryDevice (at most 50 devices). */
  queryDevices(productKey: string, page: number, pageSize: number, nextToken?: string): Promise<DevicePage>
  generateDeviceListUrl(): Promise<DeviceListTicket>
  /** BatchGetDeviceState for at most 50 devices of one product. */
  deviceStates(productKey: string, deviceNames: readonly string[]): Promise<DeviceState[]>
  /** Every module version the device reported (all pages). */
  moduleVersions(productKey: string, deviceName: string): Promise<ModuleVersion[]>
}

export interface IotClientOptions {
  call: RpcCall
  /** The one retry policy of the run (attempts, backoff, the warning naming the operation). */
  retry: Retrier
  /** Whether a failed attempt may have taken effect anyway (answer lost, 5xx). */
  isAmbiguous: (error: unknown) => boolean
  log: Pick<Logger, 'info'>
}

/** Errors of `once` operations that gave up after an attempt whose outcome stayed unknown. */
const OUTCOME_UNKNOWN = new WeakSet<object>()

/** Whether a `once` operation failed for good after an attempt that may have taken effect (a lost answer, a 5xx). */
export function leftOutcomeUnknown(error: unknown): boolean {
  return typeof error === 'object' && error !== null && OUTCOME_UNKNOWN.has(error)
}

type Invoke = <P extends object, R>(op: Operation<P, R>, params: P, lookup?: Lookup<R>) => Promise<R>

/** Sends an operation with the retries its kind allows; a `once` operation looks before it resends. */
function invoker({ call, retry, isAmbiguous, log }: IotClientOptions): Invoke {
  return async (op, params, lookup) => {
    const send = async () => op.read(await call(op.name, op.method, flattenParams(params as Params)), params)
    if (op.kind !== 'once') return retry(op.name, send)
    let unsure = false
    const attempt = async () => {
      const found = unsure && lookup ? await lookup() : undefined
      if (found !== undefined) {
        log.info(`${op.name} had taken effect before its answer was lost (${op.describe?.(found) ?? 'found done'}); not sending it again.`)
        return found
      }
      try {
        return await send()
      } catch (error) {
        unsure ||= isAmbiguous(error)
        throw error
      }
    }
    return retry(op.name, attempt).catch((error: unknown) => {
      if (unsure && typeof error === 'object' && error !== null) OUTCOME_UNKNOWN.add(error)
      throw error
    })
  }
}

/** Reads pages 1, 2, … until one is empty or the last (`pageCount`). */
async function allPages<T>(page: (n: number) => Promise<{ rows: T[]; pageCount: number }>): Promise<T[]> {
  const all: T[] = []
  for (let n = 1; ; n++) {
    const { rows, pageCount } = await page(n)
    all.push(...rows)
    if (rows.length === 0 || n >= pageCount) return all
  }
}

const OPS = OPERATIONS
/** ListOTAFirmware's largest page. */
const FIRMWARE_PAGE_SIZE_MAX = 100
/** ListOTAModuleVersionsByDevice's largest page. */
const MODULE_PAGE_SIZE_MAX = 200

export function createIotClient(options: IotClientOptions): IotApi {
  const invoke = invoker(options)
  return {
    generateUploadUrl: (FileSuffix) => invoke(OPS.generateUploadUrl, { FileSuffix }),
    createFirmware: (params, lookup) => invoke(OPS.createFirmware, params, lookup),
    async listFirmware(ProductKey, DestVersion) {
      const rows = await allPages((CurrentPage) => invoke(OPS.listFirmwarePage, { ProductKey, DestVersion, CurrentPage, PageSize: FIRMWARE_PAGE_SIZE_MAX }))
      // The filter is documented as exact; keep only exact matches in case a server is looser.
      return rows.filter((row) => row.DestVersion === DestVersion)
    },
    async listProductFirmware(ProductKey) {
      const rows = await allPages((CurrentPage) => invoke(OPS.listFirmwarePage, { ProductKey, CurrentPage, PageSize: FIRMWARE_PAGE_SIZE_MAX }))
      // Rows shift between pages while packages are deleted: a package read twice counts once.
      const seen = new Set<string>()
      return rows.filter((row) => (row.ProductKey === undefined || row.ProductKey === ProductKey) && !seen.has(row.FirmwareId) && seen.add(row.FirmwareId))
    },
    // One row is enough: only the page's Total is read.
    countFirmware: async () => (await invoke(OPS.listFirmwarePage, { CurrentPage: 1, PageSize: 1 })).total,
    queryFirmware: (FirmwareId) => invoke(OPS.queryFirmware, { FirmwareId }),
    deleteFirmware: (FirmwareId, lookup) => invoke(OPS.deleteFirmware, { FirmwareId }, lookup),
    listModules: (ProductKey) => invoke(OPS.listModules, { ProductKey }),
    createVerifyJob: (params, lookup) => invoke(OPS.createVerifyJob, params, lookup),
    createStaticUpgradeJob: (params, lookup) => invoke(OPS.createStaticUpgradeJob, params, lookup),
    createDynamicUpgradeJob: (params, lookup) => invoke(OPS.createDynamicUpgradeJob, params, lookup),
    queryJob: (JobId) => invoke(OPS.queryJob, { JobId }),
    listTasksByJob: (JobId, CurrentPage, PageSize, TaskStatus) => invoke(OPS.listTasks, { JobId, CurrentPage, PageSize, TaskStatus }),
    listJobsByFirmware: (FirmwareId) => allPages((CurrentPage) => invoke(OPS.listJobPage, { FirmwareId, CurrentPage, PageSize: JOB_PAGE_SIZE_MAX })),
    cancelTasksByJob: (JobId, flags) => invoke(OPS.cancelTasksByJob, { JobId, ...flags }),
    cancelStrategyByJob: (JobId) => invoke(OPS.cancelStrategyByJob, { JobId }),
    cancelTasksByDevice: (params) => invoke(OPS.cancelTasksByDevice, params),
    reupgradeTasks: (JobId, TaskId, lookup) => invoke(OPS.reupgradeTasks, { JobId, TaskId }, lookup),
    confirmTasks: (TaskId, lookup) => invoke(OPS.confirmTasks, { TaskId }, lookup),
    queryDevices: (ProductKey, CurrentPage, PageSize, NextToken) => invoke(OPS.queryDevicePage, { ProductKey, CurrentPage, PageSize, NextToken }),
    generateDeviceListUrl: () => invoke(OPS.generateDeviceListUrl, {}),
    deviceStates: (ProductKey, DeviceName) => invoke(OPS.deviceStates, { ProductKey, DeviceName }),
    moduleVersions: (ProductKey, DeviceName) =>
      allPages((CurrentPage) => invoke(OPS.moduleVersionPage, { ProductKey, DeviceName, CurrentPage, PageSize: MODULE_PAGE_SIZE_MAX }))
  }
}
