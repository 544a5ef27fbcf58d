import { controlHandlers } from './control-operations.js'
import { readDeviceList } from './device-list.js'
import { JobError, jobErrors } from './errors.js'
import { firmwareFor, type Handler, type JobsHost } from './host.js'
import type { Job, JobModel, StaticTarget } from './jobs.js'
import type { RpcParams } from '../iot/rpc-params.js'
import {
  GROUP_TYPES,
  JOB_LIMITS,
  readBatch,
  readCommon,
  readDistinct,
  readGrayPercent,
  readPage,
  readSchedule,
  TARGET_SELECTIONS,
  type BatchSettings,
  type CommonSettings,
  type TargetSelection
} from './rules.js'
import type { FirmwareView } from './targets.js'
import { TASK_STATUSES, type TaskStatus } from './timeline.js'
import { grayPercentText, jobInfo, jobSummary, taskInfo } from './wire.js'

/** The answer's fields besides RequestId and Success, or the refusal. */
type JobAnswer = { body: Record<string, unknown> } | { error: JobError }
type JobOperation = (params: RpcParams) => JobAnswer

/** ListOTATaskByJob's paging when the caller leaves it out (the platform's defaults are not documented). */
const TASK_PAGE_DEFAULTS = { page: 1, size: 10 }

export function jobOperations(model: JobModel, host: JobsHost): ReadonlyMap<string, JobOperation> {
  return new Map(
    Object.entries(jobHandlers(model, host)).map(([action, handler]) => [
      action,
      (params: RpcParams): JobAnswer => {
        const now = host.now()
        try {
          model.advance(now)
          return { body: handler(params, now) }
        } catch (error) {
          if (error instanceof JobError) return { error }
          throw error
        }
      }
    ])
  )
}

type BatchArgs = [firmware: FirmwareView, productKey: string, common: CommonSettings, batch: BatchSettings]

/** The job settings the package allows: an MQTT download carries one file of at most 16 MB, so a multi-file package is HTTPS only. */
function checkForPackage(firmware: FirmwareView, common: CommonSettings): CommonSettings {
  const files = firmware.MultiFiles?.length ?? 0
  if (common.downloadProtocol === 'MQTT' && files > 0) {
    throw jobErrors.illegal(`DownloadProtocol MQTT carries a single file; package ${firmware.FirmwareId} has ${files}: use HTTPS.`)
  }
  return common
}

const created = (job: { id: string; createdAt: number }) => ({ Data: { JobId: job.id, UtcCreate: new Date(job.createdAt).toISOString() } })

function jobHandlers(model: JobModel, host: JobsHost): Record<string, Handler> {
  const batchJob = (params: RpcParams, create: (...args: BatchArgs) => Job) => {
    const productKey = params.required('ProductKey')
    const firmware = firmwareFor(host, params, productKey)
    const common = checkForPackage(firmware, readCommon(params))
    return created(create(firmware, productKey, common, readBatch(params, common.timeoutMinutes)))
  }
  return {
    CreateOTAVerifyJob: (params, now) => {
      const productKey = params.required('ProductKey')
      const names = readDistinct(params, 'TargetDeviceName', JOB_LIMITS.verifyDevices)
      if (names.length === 0) throw jobErrors.missing('TargetDeviceName')
      const firmware = firmwareFor(host, params, productKey)
      const common = checkForPackage(firmware, readCommon(params))
      return created(model.createVerifyJob(firmware, productKey, names, common, now))
    },
    CreateOTAStaticUpgradeJob: (params, now) => batchJob(params, (...args) => createStatic(model, host, params, now, args)),
    CreateOTADynamicUpgradeJob: (params, now) =>
      batchJob(params, (firmware, productKey, common, batch) =>
        model.createDynamicJob(firmware, productKey, readDynamicScope(params, firmware), common, batch, now)
      ),
    QueryOTAJob: (params, now) => ({ Data: jobInfo(model, model.job(params.required('JobId')), now) }),
    ListOTATaskByJob: (params, now) => listTasks(model, params, now),
    ListOTAJobByFirmware: (params, now) => {
      const firmware = firmwareFor(host, params)
      const { page, size } = readPage(params, JOB_LIMITS.jobPageSize)
      const jobs = [...model.jobsOf(firmware.FirmwareId)].reverse()
      const items = jobs.slice((page - 1) * size, page * size).map((job) => jobSummary(model, job, now))
      return { ...pageFields(page, size, jobs.length), Data: { SimpleOTAJobInfo: items } }
    },
    ...controlHandlers(model, host)
  }
}

function pageFields(page: number, size: number, total: number) {
  return { CurrentPage: page, PageSize: size, PageCount: Math.ceil(total / size), Total: total }
}

/** Parameters a selection does not take are refused rather than ignored. */
function onlyWith(given: boolean, allowed: boolean, message: string): void {
  if (given && !allowed) throw jobErrors.illegal(message)
}

/** SPECIFIC takes TargetDeviceName.N or DnListFileUrl, one of them; the others neither. */
function checkSpecific(params: RpcParams, specific: boolean, names: readonly string[]): void {
  const listUrl = params.optional('DnListFileUrl')
  onlyWith(names.length > 0, specific, 'TargetDeviceName.N is only for TargetSelection SPECIFIC.')
  onlyWith(listUrl !== undefined, specific, 'DnListFileUrl is only for TargetSelection SPECIFIC.')
  if (listUrl !== undefined && names.length > 0) throw jobErrors.illegal('Give TargetDeviceName.N or DnListFileUrl, not both.')
  if (specific && names.length === 0 && listUrl === undefined) {
    throw jobErrors.nullParameter('TargetDeviceName.N or DnListFileUrl is required for TargetSelection SPECIFIC.')
  }
}

function readStaticTarget(params: RpcParams, firmware: FirmwareView): StaticTarget {
  const selection = params.required('TargetSelection')
  if (!(TARGET_SELECTIONS as readonly string[]).includes(selection)) throw jobErrors.invalidFormat('TargetSelection', selection)
  const is = (s: TargetSelection) => selection === s
  const grayPercent = params.optional('GrayPercent')
  const names = readDistinct(params, 'TargetDeviceName', JOB_LIMITS.specificDevices)
  const srcVersions = readSrcVersions(params, firmware)
  const groupId = params.optional('GroupId')
  const groupType = params.optional('GroupType')
  onlyWith(grayPercent !== undefined, is('GRAY'), 'GrayPercent is only for TargetSelection GRAY.')
  checkSpecific(params, is('SPECIFIC'), names)
  onlyWith(srcVersions.length > 0, is('ALL') || is('GRAY'), 'SrcVersion.N is only allowed with TargetSelection ALL or GRAY.')
  onlyWith(groupId !== undefined || groupType !== undefined, is('GROUP'), 'GroupId and GroupType are only for TargetSelection GROUP.')
  if (is('GRAY') && grayPercent === undefined) throw jobErrors.nullParameter('GrayPercent is required for TargetSelection GRAY.')
  if (is('GROUP')) checkGroup(groupId, groupType, GROUP_TYPES.static)
  const grayThousandths = grayPercent === undefined ? undefined : readGrayPercent(grayPercent)
  return {
    selection: selection as TargetSelection,
    names: is('SPECIFIC') && names.length > 0 ? names : undefined,
    grayThousandths,
    grayPercent: grayThousandths === undefined ? undefined : grayPercentText(grayThousandths),
    srcVersions,
    groupId,
    groupType
  }
}

/**
 * CreateOTAStaticUpgradeJob: the target, the devices of a DnListFileUrl file among it, and the
 * job; the file is marked used once the job exists.
 */
function createStatic(model: JobModel, host: JobsHost, params: RpcParams, now: number, args: BatchArgs): Job {
  const [firmware, productKey, common, batch] = args
  const target = readStaticTarget(params, firmware)
  const schedule = readSchedule(params, now)
  const listUrl = params.optional('DnListFileUrl')
  const list = listUrl === undefined ? undefined : readDeviceList(host, listUrl, now)
  const job = model.createStaticJob(firmware, productKey, { ...target, listed: list?.names }, common, batch, schedule, now)
  list?.file.consume(job.id)
  return job
}

function checkGroup(groupId: string | undefined, groupType: string | undefined, expected: string): void {
  if (groupId === undefined || groupType === undefined) throw jobErrors.nullParameter('GroupId and GroupType are both required for a group.')
  if (groupType !== expected) throw jobErrors.invalidFormat('GroupType', groupType)
}

/** SrcVersion.N: at most 10, no duplicates; a differential package's own SrcVersion only. */
function readSrcVersions(params: RpcParams, firmware: FirmwareView): string[] {
  const versions = readDistinct(params, 'SrcVersion', JOB_LIMITS.srcVersions, jobErrors.tooMany)
  const other = firmware.Type === 1 ? versions.find((v) => v !== firmware.SrcVersion) : undefined
  if (other !== undefined) throw jobErrors.illegal(`SrcVersion ${other} is not the differential package's SrcVersion.`)
  return versions
}

function readDynamicScope(params: RpcParams, firmware: FirmwareView) {
  const srcVersions = readSrcVersions(params, firmware)
  const groupId = params.optional('GroupId')
  const groupType = params.optional('GroupType')
  if (groupId === undefined && groupType === undefined && srcVersions.length === 0) throw jobErrors.emptySrcVersions()
  if (srcVersions.length > 0 && (groupId !== undefined || groupType !== undefined)) throw jobErrors.illegal('Give SrcVersion.N or GroupId, not both.')
  if (srcVersions.length === 0) checkGroup(groupId, groupType, GROUP_TYPES.dynamic)
  const dynamicMode = params.integer('DynamicMode') ?? 1
  if (dynamicMode !== 1 && dynamicMode !== 2) throw jobErrors.invalidFormat('DynamicMode', String(dynamicMode))
  return { srcVersions, groupId, groupType, dynamicMode: dynamicMode as 1 | 2 }
}

function listTasks(model: JobModel, params: RpcParams, now: number): Record<string, unknown> {
  const job = model.job(params.required('JobId'))
  const status = params.optional('TaskStatus')
  if (status !== undefined && !(TASK_STATUSES as readonly string[]).includes(status)) throw jobErrors.invalidTaskStatus()
  const names = readDistinct(params, 'DeviceNames', JOB_LIMITS.taskDeviceNames, jobErrors.tooMany)
  const { page, size } = readPage(params, JOB_LIMITS.taskPageSize, TASK_PAGE_DEFAULTS)
  if (page * size > JOB_LIMITS.taskPageWindow) throw jobErrors.invalidPage('CurrentPage', String(page))
  const query = { status: status as TaskStatus | undefined, names: names.length > 0 ? names : undefined, page, size }
  const { total, items } = model.listTasks(job, now, query)
  return { ...pageFields(page, size, total), Data: { SimpleOTATaskInfo: items.map(({ task, state }) => taskInfo(task, state)) } }
}
