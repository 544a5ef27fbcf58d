/**
 * The shapes the actions send to and read from the IoT OTA API, in the official SDK's field names
 * (`@alicloud/iot20180120` models). Parameters absent here are never sent.
 */
import type { DownloadProtocol } from './job-rules.js'
import type { FileSuffix } from './rules.js'

/** A parameter value as it goes on the wire: lists become `Name.N` (strings) or `Name.N.Field` (objects). */
export type ParamValue = string | number | boolean | undefined | readonly string[] | readonly Readonly<Record<string, string | number | undefined>>[]
export type Params = Readonly<Record<string, ParamValue>>

// ---- Packages -------------------------------------------------------------------------------

/** What GenerateOTAUploadURL returns: a short-lived PostObject form for one file. */
export interface UploadTicket {
  Host: string
  Key: string
  OSSAccessKeyId: string
  Policy: string
  Signature: string
  FirmwareUrl: string
  ObjectStorage?: string
  UtcCreate?: string
}

export interface UploadUrlParams {
  FileSuffix: FileSuffix
}

/**
 * One file of a multi-file package, as CreateOTAFirmware takes it (`MultiFiles.N.Name`, `.Url`, …).
 * Size, SignValue (by the package's SignMethod) and FileMd5 left out are taken from the object.
 */
export type MultiFileParam = {
  Name: string
  Url: string
  Size?: number
  SignValue?: string
  FileMd5?: string
}

/** A package of one file (FirmwareUrl, with FirmwareSign and FirmwareSize) or of several (MultiFiles, without those three). */
export interface CreateFirmwareParams {
  ProductKey: string
  DestVersion: string
  FirmwareName: string
  /** The single file's URL; absent with MultiFiles. */
  FirmwareUrl?: string
  /** Omitted: the platform digests the file itself (documented for FirmwareSign and FirmwareSize). */
  FirmwareSign?: string
  SignMethod: string
  FirmwareSize?: number
  /** 2 to 20 files, each named; never with FirmwareUrl, FirmwareSign or FirmwareSize. */
  MultiFiles?: readonly MultiFileParam[]
  ModuleName?: string
  FirmwareDesc?: string
  Udi?: string
  NeedToVerify: boolean
  Type: 0 | 1
  SrcVersion?: string
}

export interface CreatedFirmware {
  FirmwareId: string
  UtcCreate: string
}

/** ListOTAFirmware: the packages of a product with one DestVersion, every page. */
export interface ListFirmwareParams {
  ProductKey: string
  DestVersion: string
}

/** One row of ListOTAFirmware. */
export interface FirmwareSummary {
  FirmwareId: string
  FirmwareName: string
  DestVersion: string
  SrcVersion?: string
  FirmwareSign?: string
  FirmwareSize?: number
  SignMethod?: string
  /** `default` when the answer leaves it out. */
  ModuleName: string
  ProductKey?: string
  /** -1 no verification needed, 0 unverified, 1 verified, 2 verifying, 3 verification failed. */
  Status?: number
  Type?: number
  UtcCreate?: string
}

/** One file of a multi-file package, as QueryOTAFirmware describes it. */
export interface FirmwareFile {
  Name: string
  /** Signed (`?Expires=…&Signature=…`): never shown as it is. */
  Url?: string
  Size?: number
  /** By the package's SignMethod. */
  SignValue?: string
  FileMd5?: string
}

/** QueryOTAFirmware's FirmwareInfo: a row's fields and the ones only the query has. */
export interface FirmwareDetail extends FirmwareSummary {
  FirmwareUrl?: string
  /** A package of several files; FirmwareUrl, FirmwareSign and FirmwareSize are absent then. */
  MultiFiles?: readonly FirmwareFile[]
  Udi?: string
  FirmwareDesc?: string
  VerifyProgress?: number
}

/** One OTA module of a product (ListOTAModuleByProduct). */
export interface OtaModule {
  ModuleName: string
  AliasName?: string
}

// ---- Jobs -----------------------------------------------------------------------------------

/** A job tag: Key 1–30 of `[A-Za-z0-9.]`, Value 1–1024; at most 10 a job. Pushed to the devices: never a secret. */
export interface JobTag {
  Key: string
  Value: string
}

/** Parameters every job kind takes. */
interface JobParams {
  FirmwareId: string
  ProductKey: string
  TimeoutInMinutes?: number
  NeedPush?: boolean
  NeedConfirm?: boolean
  DownloadProtocol?: DownloadProtocol
  /** Sent as `Tag.N.Key` / `Tag.N.Value`. */
  Tag?: readonly JobTag[]
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

export type TargetSelection = 'ALL' | 'GRAY' | 'SPECIFIC' | 'GROUP'

export interface StaticJobParams extends UpgradeJobParams {
  TargetSelection: TargetSelection
  GrayPercent?: string
  TargetDeviceName?: readonly string[]
  /** A device-list file from GenerateDeviceNameListURL (SPECIFIC only, never with TargetDeviceName). */
  DnListFileUrl?: string
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
  /** The job's tags (`Tags.OtaTagDTO[]`); the client always fills it, empty without any. */
  Tags?: readonly JobTag[]
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

export interface TaskListParams {
  JobId: string
  CurrentPage: number
  PageSize: number
  TaskStatus?: string
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

// ---- Devices ---------------------------------------------------------------------------------

/** One row of QueryDevice: only what the actions use. DeviceSecret, also in the answer, is never read. */
export interface DeviceRow {
  DeviceName: string
  /** ONLINE, OFFLINE, UNACTIVE or DISABLE. */
  DeviceStatus?: string
  UtcCreate?: string
}

export interface DevicePage {
  Devices: DeviceRow[]
  Total?: number
  /** Pass on to the next call; empty: no next page. */
  NextToken?: string
}

/** BatchGetDeviceState: a device's connection state. */
export interface DeviceState {
  DeviceName: string
  /** ONLINE, OFFLINE, UNACTIVE or DISABLE. */
  Status: string
  LastOnlineTime?: string
}

/** ListOTAModuleVersionsByDevice: the version a device reported for one module. */
export interface ModuleVersion {
  ModuleName: string
  ModuleVersion: string
}

/** GenerateDeviceNameListURL: a one-minute PostObject form for a device-list file. Its Policy and Signature are secrets. */
export interface DeviceListTicket {
  Host: string
  Key: string
  /** The OSS key id of the form (the field is `AccessKeyId` here, not `OSSAccessKeyId`). */
  AccessKeyId: string
  Policy: string
  Signature: string
  /** What DnListFileUrl takes. */
  FileUrl: string
}

/** CancelOTATaskByDevice: the devices' QUEUED, NOTIFIED and IN_PROGRESS tasks of the package (of one job with JobId). */
export interface CancelByDeviceParams {
  FirmwareId: string
  ProductKey: string
  /** 1 to 200 distinct DeviceNames. */
  DeviceName: readonly string[]
  JobId?: string
}

/** CancelOTATaskByJob's flags: at least one must be given. */
export interface CancelFlags {
  CancelScheduledTask?: boolean
  CancelQueuedTask?: boolean
  CancelNotifiedTask?: boolean
  CancelInProgressTask?: boolean
  CancelUnconfirmedTask?: boolean
}
