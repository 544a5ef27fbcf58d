import { rmSync } from 'node:fs'
import { join } from 'node:path'
import type { SignMethod } from '../iot/documented-rules.js'
import { randomHex } from './ids.js'
import { BucketStore } from '../oss/user-buckets/buckets.js'
import { PLATFORM_BUCKET } from '../oss/bucket-names.js'

/** A file PostObject stored, with the digests computed while it was written. */
export interface StoredObject {
  bucket: string
  key: string
  size: number
  /** Lower-case hex. */
  md5: string
  /** Lower-case hex. */
  sha256: string
  /** Where the bytes are on disk. */
  path: string
  /** When PostObject stored it (platform bucket). */
  storedAt?: number
}

/** A URL GenerateDeviceNameListURL issued, for DnListFileUrl. */
export interface DeviceListUrl {
  /** The object key the upload goes to. */
  key: string
  /** The job that used the file, once one did: a list serves one job. */
  usedBy?: string
}

export interface MultiFileRecord {
  Name: string
  Url: string
  Size: number
  SignValue: string
  FileMd5: string
}

/** A package as QueryOTAFirmware describes it (wire spelling), plus NeedToVerify; FirmwareUrl is the unsigned one. */
export interface FirmwareRecord {
  FirmwareId: string
  FirmwareName: string
  DestVersion: string
  SrcVersion?: string
  FirmwareDesc?: string
  /** Single-file packages only, as FirmwareSize and FirmwareUrl. */
  FirmwareSign?: string
  FirmwareSize?: number
  FirmwareUrl?: string
  SignMethod: SignMethod
  ModuleName: string
  ProductKey?: string
  ProductName?: string
  /** As CreateOTAFirmware got it; the API shows it only through Status. */
  NeedToVerify: boolean
  /** -1 no verification needed, 0 unverified. */
  Status: number
  Type: number
  Udi?: string
  VerifyProgress: number
  UtcCreate: string
  UtcModified: string
  MultiFiles?: MultiFileRecord[]
}

export interface OtaModuleRecord {
  ModuleName: string
  ProductKey: string
  AliasName?: string
  Desc?: string
  GmtCreate: string
  GmtModified: string
}

export interface RequestRecord {
  /** The RPC action name (as sent, even when unknown), or the OSS operation (PostObject, PutObject, UploadPart, …). */
  action: string
  /** The HTTP status answered; 0 when the connection was dropped or never answered. */
  status: number
  code?: string
  accessKeyId?: string
  /** RPC calls: the HTTP method and the signature scheme the request carried. */
  method?: string
  signature?: 'ACS3-HMAC-SHA256' | 'HMAC-SHA1'
  at: number
}

/** Enough history for any test or rehearsal, without growing forever in a long-running emulator. */
const REQUEST_LOG_LIMIT = 10_000

/** Everything the emulated account holds. One Alibaba Cloud account: every AccessKey sees the same packages. */
export class Store {
  readonly firmwares = new Map<string, FirmwareRecord>()
  /** By object key. */
  readonly objects = new Map<string, StoredObject>()
  /** FirmwareUrl → object key, for every URL GenerateOTAUploadURL handed out. */
  readonly uploadUrls = new Map<string, string>()
  /** FileUrl → what GenerateDeviceNameListURL handed out. */
  readonly deviceLists = new Map<string, DeviceListUrl>()
  /** Custom OTA modules by ProductKey. */
  readonly modules = new Map<string, OtaModuleRecord[]>()
  /** The users' own buckets (OSS REST operations), apart from the platform's. */
  readonly buckets: BucketStore
  private readonly requestLog: RequestRecord[] = []

  /** `buckets`: when set, the only user buckets that exist; otherwise any is created on first use. */
  constructor(
    readonly dataDir: string,
    buckets?: ReadonlySet<string>
  ) {
    this.buckets = new BucketStore(dataDir, buckets)
  }

  objectPath(key: string): string {
    return join(this.dataDir, PLATFORM_BUCKET, ...key.split('/'))
  }

  /** A fresh path for an upload in progress; it is renamed into place only once complete. */
  incomingPath(): string {
    return join(this.dataDir, '.incoming', randomHex(16))
  }

  /**
   * Removes what GenerateOTAUploadURL issued for this URL: the stored object and its file, and the
   * URL itself. URLs of user buckets are not the platform's to remove: nothing happens to them.
   */
  forgetUpload(url: string): void {
    const key = this.uploadUrls.get(url)
    if (key === undefined) return
    this.uploadUrls.delete(url)
    const object = this.objects.get(key)
    this.objects.delete(key)
    if (object) rmSync(object.path, { force: true })
  }

  /** Copies, so callers cannot change the emulator's state. */
  listFirmwares(): FirmwareRecord[] {
    return [...this.firmwares.values()].map((f) => structuredClone(f))
  }

  /** The platform bucket's objects, then the user buckets'. */
  listObjects(): StoredObject[] {
    return [...this.objects.values(), ...this.buckets.objects.values()].map((o) => ({ ...o }))
  }

  record(request: RequestRecord): void {
    this.requestLog.push(request)
    if (this.requestLog.length > REQUEST_LOG_LIMIT) this.requestLog.shift()
  }

  requests(): RequestRecord[] {
    return this.requestLog.map((r) => ({ ...r }))
  }

  reset(): void {
    this.firmwares.clear()
    this.objects.clear()
    this.uploadUrls.clear()
    this.deviceLists.clear()
    this.modules.clear()
    this.buckets.reset()
    this.requestLog.length = 0
    rmSync(join(this.dataDir, PLATFORM_BUCKET), { recursive: true, force: true })
  }
}
