import { jobErrors } from './errors.js'
import type { RpcParams } from '../iot/rpc-params.js'
import type { FirmwareView } from './targets.js'

/** A device list file uploaded for DnListFileUrl, as the host found it. */
export interface DeviceListFile {
  /** The file's text, as uploaded. */
  text: string
  /** Marks the file used by a job: it serves one job only. */
  consume(jobId: string): void
}

/** What the jobs need from the rest of the emulator. */
export interface JobsHost {
  firmware(firmwareId: string): FirmwareView | undefined
  now(): number
  /** The file a DnListFileUrl names, checked against what was issued and uploaded; throws a JobError otherwise. */
  deviceList?(url: string, now: number): DeviceListFile
}

/** One operation: the answer's fields besides RequestId and Success; throws JobError. */
export type Handler = (params: RpcParams, now: number) => Record<string, unknown>

/** The package a call names (FirmwareId), of the product it names when it names one. */
export function firmwareFor(host: JobsHost, params: RpcParams, productKey?: string): FirmwareView {
  const firmware = host.firmware(params.required('FirmwareId'))
  if (!firmware) throw jobErrors.firmwareNotFound()
  if (productKey !== undefined && firmware.ProductKey !== undefined && firmware.ProductKey !== productKey) throw jobErrors.productMismatch()
  return firmware
}
