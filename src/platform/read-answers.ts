/**
 * How each operation's answer becomes one of the models: the fields the actions use, read in any
 * casing (answer.ts), ids as text, absent fields left out. A required field that is missing is a
 * `MalformedAnswer` naming the operation.
 */
import { ApiError } from '../net/api-error.js'
import { DEFAULT_MODULE } from './rules.js'
import { type AnswerObject, dataOf, field, idOf, listOf, numberOf, objectIn, objectOf, stringsOf, textOf } from './answer.js'
import type {
  CreatedFirmware,
  CreatedJob,
  FirmwareDetail,
  FirmwareFile,
  FirmwareSummary,
  DeviceListTicket,
  DevicePage,
  DeviceState,
  JobDetail,
  JobSummary,
  JobTag,
  ModuleVersion,
  OtaModule,
  OtaTask,
  TaskPage,
  UploadTicket
} from './models.js'

/** The error for an answer without a field the operation promises. */
export function malformed(operation: string): (what: string) => ApiError {
  return (what) => new ApiError(operation, 'MalformedAnswer', `the answer has no ${what}`, 200)
}

function required<T>(operation: string, value: T | undefined, what: string): T {
  if (value === undefined) throw malformed(operation)(what)
  return value
}

/** Drops absent fields, so that spreading a detail over a row never blanks what the row knew. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T
}

const TICKET_FIELDS = ['Host', 'Key', 'OSSAccessKeyId', 'Policy', 'Signature', 'FirmwareUrl'] as const

export function readUploadTicket(answer: AnswerObject): UploadTicket {
  const data = required('GenerateOTAUploadURL', dataOf(answer), 'Data')
  const ticket = { ObjectStorage: textOf(data, 'ObjectStorage'), UtcCreate: textOf(data, 'UtcCreate') } as UploadTicket
  for (const name of TICKET_FIELDS) ticket[name] = required('GenerateOTAUploadURL', textOf(data, name), `Data.${name}`)
  return ticket
}

export function readCreatedFirmware(answer: AnswerObject): CreatedFirmware {
  const data = dataOf(answer)
  return {
    FirmwareId: required('CreateOTAFirmware', textOf(data, 'FirmwareId'), 'Data.FirmwareId'),
    UtcCreate: required('CreateOTAFirmware', textOf(data, 'UtcCreate'), 'Data.UtcCreate')
  }
}

/** One row of ListOTAFirmware. */
function firmwareRow(operation: string, row: AnswerObject): FirmwareSummary {
  return defined({
    FirmwareId: required(operation, textOf(row, 'FirmwareId'), 'FirmwareId'),
    FirmwareName: textOf(row, 'FirmwareName') ?? '',
    DestVersion: textOf(row, 'DestVersion') ?? '',
    SrcVersion: textOf(row, 'SrcVersion'),
    FirmwareSign: textOf(row, 'FirmwareSign'),
    FirmwareSize: numberOf(row, 'FirmwareSize'),
    SignMethod: textOf(row, 'SignMethod'),
    // A package of the default module may come without ModuleName.
    ModuleName: textOf(row, 'ModuleName') ?? DEFAULT_MODULE,
    ProductKey: textOf(row, 'ProductKey'),
    Status: numberOf(row, 'Status'),
    Type: numberOf(row, 'Type'),
    UtcCreate: textOf(row, 'UtcCreate')
  })
}

/** A page of ListOTAFirmware: its rows and how many pages there are. */
export function readFirmwarePage(answer: AnswerObject): { rows: FirmwareSummary[]; pageCount: number; total?: number } {
  const rows = listOf(answer, 'FirmwareInfo', 'SimpleFirmwareInfo').map((row) => firmwareRow('ListOTAFirmware', row))
  return { rows, pageCount: numberOf(answer, 'PageCount') ?? 1, total: numberOf(answer, 'Total') }
}

/** `MultiFiles`, a bare array (or wrapped, as lists elsewhere); undefined for a package of one file. */
function filesOf(info: AnswerObject): FirmwareFile[] | undefined {
  const files = listOf(info, 'MultiFiles', 'MultiFiles').map((file) =>
    defined({
      Name: required('QueryOTAFirmware', textOf(file, 'Name'), 'FirmwareInfo.MultiFiles[].Name'),
      Url: textOf(file, 'Url'),
      Size: numberOf(file, 'Size'),
      SignValue: textOf(file, 'SignValue'),
      FileMd5: textOf(file, 'FileMd5')
    })
  )
  return files.length > 0 ? files : undefined
}

/** QueryOTAFirmware's FirmwareInfo, at the top level or under Data. */
export function readFirmwareDetail(answer: AnswerObject): FirmwareDetail {
  const info = required('QueryOTAFirmware', objectIn(answer, 'FirmwareInfo'), 'FirmwareInfo')
  return defined({
    ...firmwareRow('QueryOTAFirmware', info),
    FirmwareUrl: textOf(info, 'FirmwareUrl'),
    MultiFiles: filesOf(info),
    Udi: textOf(info, 'Udi'),
    FirmwareDesc: textOf(info, 'FirmwareDesc'),
    VerifyProgress: numberOf(info, 'VerifyProgress')
  })
}

/** `Data` is an array; the marketplace variant's samples show `data`, once as a single object. */
export function readModules(answer: AnswerObject): OtaModule[] {
  const data = field(answer, 'Data')
  const rows = Array.isArray(data) ? data : [required('ListOTAModuleByProduct', objectOf(answer, 'Data'), 'Data')]
  return rows.map((row: unknown) =>
    defined({
      ModuleName: required('ListOTAModuleByProduct', textOf(row, 'ModuleName'), 'Data[].ModuleName'),
      AliasName: textOf(row, 'AliasName')
    })
  )
}

export function readCreatedJob(operation: string): (answer: AnswerObject) => CreatedJob {
  return (answer) => {
    const data = objectOf(answer, 'Data')
    return { JobId: idOf(data, 'JobId', malformed(operation)), UtcCreate: textOf(data, 'UtcCreate') ?? '' }
  }
}

/** `Tags.OtaTagDTO[]` (or a bare list); absent: none. */
function tagsOf(row: unknown): JobTag[] {
  return listOf(row, 'Tags', 'OtaTagDTO').flatMap((tag) => {
    const Key = textOf(tag, 'Key')
    return Key === undefined ? [] : [{ Key, Value: textOf(tag, 'Value') ?? '' }]
  })
}

function jobRow(operation: string, row: unknown): JobSummary {
  return {
    JobId: idOf(row, 'JobId', malformed(operation)),
    JobStatus: textOf(row, 'JobStatus') ?? '',
    JobType: textOf(row, 'JobType') ?? '',
    SelectionType: textOf(row, 'SelectionType'),
    TargetSelection: textOf(row, 'TargetSelection'),
    UtcCreate: textOf(row, 'UtcCreate'),
    UtcEndTime: textOf(row, 'UtcEndTime'),
    Tags: tagsOf(row)
  }
}

export function readJobDetail(answer: AnswerObject): JobDetail {
  const data = required('QueryOTAJob', objectOf(answer, 'Data'), 'Data')
  return {
    ...jobRow('QueryOTAJob', data),
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

/** A page of ListOTAJobByFirmware. */
export function readJobPage(answer: AnswerObject, pageSize: number): { rows: JobSummary[]; pageCount: number } {
  const rows = listOf(answer, 'Data', 'SimpleOTAJobInfo').map((row) => jobRow('ListOTAJobByFirmware', row))
  return { rows, pageCount: numberOf(answer, 'PageCount') ?? Math.ceil((numberOf(answer, 'Total') ?? 0) / pageSize) }
}

function taskRow(row: AnswerObject): OtaTask {
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

export function readTaskPage(answer: AnswerObject, asked: { CurrentPage: number; PageSize: number }): TaskPage {
  const tasks = listOf(answer, 'Data', 'SimpleOTATaskInfo').map(taskRow)
  const total = numberOf(answer, 'Total') ?? tasks.length
  return {
    Tasks: tasks,
    Total: total,
    CurrentPage: numberOf(answer, 'CurrentPage') ?? asked.CurrentPage,
    PageSize: numberOf(answer, 'PageSize') ?? asked.PageSize,
    PageCount: numberOf(answer, 'PageCount') ?? Math.ceil(total / asked.PageSize)
  }
}

/** QueryDevice: DeviceName and status of each row (DeviceSecret, in every row, is never read), and the next page's token. */
export function readDevicePage(answer: AnswerObject): DevicePage {
  const Devices = listOf(answer, 'Data', 'DeviceInfo').map((row) => ({
    DeviceName: required('QueryDevice', textOf(row, 'DeviceName'), 'Data.DeviceInfo[].DeviceName'),
    DeviceStatus: textOf(row, 'DeviceStatus'),
    UtcCreate: textOf(row, 'UtcCreate')
  }))
  return { Devices, Total: numberOf(answer, 'Total'), NextToken: textOf(answer, 'NextToken') }
}

export function readDeviceStates(answer: AnswerObject): DeviceState[] {
  return listOf(answer, 'DeviceStatusList', 'DeviceStatus').map((row) => ({
    DeviceName: required('BatchGetDeviceState', textOf(row, 'DeviceName'), 'DeviceStatusList.DeviceStatus[].DeviceName'),
    Status: textOf(row, 'Status') ?? '',
    LastOnlineTime: textOf(row, 'LastOnlineTime')
  }))
}

export function readModuleVersions(answer: AnswerObject): { rows: ModuleVersion[]; pageCount: number } {
  const rows = listOf(answer, 'Data', 'SimpleOTAModuleInfo').map((row) => ({
    ModuleName: textOf(row, 'ModuleName') ?? '',
    ModuleVersion: textOf(row, 'ModuleVersion') ?? ''
  }))
  return { rows, pageCount: numberOf(answer, 'PageCount') ?? 1 }
}

const LIST_TICKET_FIELDS = ['Host', 'Key', 'AccessKeyId', 'Policy', 'Signature', 'FileUrl'] as const

export function readDeviceListTicket(answer: AnswerObject): DeviceListTicket {
  const data = required('GenerateDeviceNameListURL', dataOf(answer), 'Data')
  const ticket = {} as DeviceListTicket
  for (const name of LIST_TICKET_FIELDS) ticket[name] = required('GenerateDeviceNameListURL', textOf(data, name), `Data.${name}`)
  return ticket
}
