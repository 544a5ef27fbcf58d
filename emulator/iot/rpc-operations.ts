import { DEFAULT_FILE_SUFFIX, FILE_SUFFIXES } from './documented-rules.js'
import type { EmulatorContext } from '../server/context.js'
import { createOtaFirmware } from './create-ota-firmware.js'
import { randomHex } from '../state/ids.js'
import { checkProduct, findFirmware, type Operation, type OperationCall } from './operation.js'
import { deleteOtaFirmware } from './delete-ota-firmware.js'
import { issueUploadPolicy } from '../oss/platform-bucket/policy.js'
import { signObjectUrl } from '../oss/platform-bucket/signed-url.js'
import { JOB_OPERATIONS, withVerification } from './ota-jobs.js'
import { createOtaModule, listOtaModuleByProduct } from './ota-modules.js'
import { generateDeviceNameListUrl } from './device-list-url.js'
import { batchGetDeviceState } from './device-state.js'
import { listOtaModuleVersionsByDevice } from './module-versions.js'
import { queryDevice } from './query-device.js'
import { pageParam } from './paging.js'
import { invalidFormat } from './rpc-params.js'
import { PLATFORM_BUCKET } from '../oss/bucket-names.js'

/** How long QueryOTAFirmware's download URLs stay valid (the platform's value is not documented). */
const DOWNLOAD_URL_TTL_SECONDS = 3600
/** ListOTAFirmware's largest page. */
const PAGE_SIZE_MAX = 100

function generateOtaUploadUrl({ params, now, context }: OperationCall): Record<string, unknown> {
  const suffix = params.optional('FileSuffix') ?? DEFAULT_FILE_SUFFIX
  if (!FILE_SUFFIXES.includes(suffix)) throw invalidFormat('FileSuffix', suffix)
  const key = `ota/${randomHex(16)}/${randomHex(16).toUpperCase()}.${suffix}`
  // Where the platform's bucket is: virtual-hosted under the emulator's host name, else path-style.
  const host = context.urls.bucket(PLATFORM_BUCKET)
  const firmwareUrl = `${host}/${key}`
  const { policy, signature } = issueUploadPolicy(key, now + context.settings.uploadPolicyTtlMs, context.settings.maxUploadBytes, context.ossKey)
  context.store.uploadUrls.set(firmwareUrl, key)
  return {
    Data: {
      Host: host,
      Key: key,
      OSSAccessKeyId: context.ossKey.accessKeyId,
      Policy: policy,
      Signature: signature,
      FirmwareUrl: firmwareUrl,
      ObjectStorage: 'OSS',
      UtcCreate: new Date(now).toISOString()
    }
  }
}

function listOtaFirmware({ params, now, context }: OperationCall): Record<string, unknown> {
  const currentPage = pageParam(params, 'CurrentPage', Number.MAX_SAFE_INTEGER)
  const pageSize = pageParam(params, 'PageSize', PAGE_SIZE_MAX)
  const productKey = params.optional('ProductKey')
  if (productKey !== undefined) checkProduct(context, productKey)
  const destVersion = params.optional('DestVersion')
  // Newest first: by UtcCreate (seeded packages may be older than those created since), then creation order.
  const matching = [...context.store.firmwares.values()]
    .filter((f) => (productKey === undefined || f.ProductKey === productKey) && (destVersion === undefined || f.DestVersion === destVersion))
    .reverse()
    .sort((a, b) => (a.UtcCreate === b.UtcCreate ? 0 : a.UtcCreate < b.UtcCreate ? 1 : -1))
  const page = matching.slice((currentPage - 1) * pageSize, currentPage * pageSize).map((f) => withVerification(f, context, now))
  return {
    CurrentPage: currentPage,
    PageSize: pageSize,
    PageCount: Math.ceil(matching.length / pageSize),
    Total: matching.length,
    // The list leaves out FirmwareUrl, Udi, VerifyProgress and MultiFiles.
    FirmwareInfo: {
      SimpleFirmwareInfo: page.map((f) => ({
        FirmwareId: f.FirmwareId,
        FirmwareName: f.FirmwareName,
        DestVersion: f.DestVersion,
        SrcVersion: f.SrcVersion,
        FirmwareDesc: f.FirmwareDesc,
        FirmwareSign: f.FirmwareSign,
        FirmwareSize: f.FirmwareSize,
        SignMethod: f.SignMethod,
        ModuleName: f.ModuleName,
        ProductKey: f.ProductKey,
        ProductName: f.ProductName,
        Status: f.Status,
        Type: f.Type,
        UtcCreate: f.UtcCreate,
        UtcModified: f.UtcModified
      }))
    }
  }
}

/**
 * Download URLs are signed like the platform's, so devices (and tests) fetch them as they would from
 * OSS. A URL outside the platform's bucket is handed back as registered: the platform holds no key
 * to sign for another bucket (what it really answers there is not documented).
 */
function downloadUrl(url: string, context: EmulatorContext, now: number): string {
  const key = context.store.uploadUrls.get(url)
  if (key === undefined) return url
  return signObjectUrl(url, key, Math.floor(now / 1000) + DOWNLOAD_URL_TTL_SECONDS, context.ossKey)
}

function queryOtaFirmware({ params, now, context }: OperationCall): Record<string, unknown> {
  const { NeedToVerify: _notInTheAnswer, ...firmware } = withVerification(findFirmware(params, context), context, now)
  return {
    FirmwareInfo: {
      ...firmware,
      FirmwareUrl: firmware.FirmwareUrl === undefined ? undefined : downloadUrl(firmware.FirmwareUrl, context, now),
      MultiFiles: firmware.MultiFiles?.map((file) => ({ ...file, Url: downloadUrl(file.Url, context, now) }))
    }
  }
}

/** The IoT API actions the emulator answers; any other action is InvalidApi.NotFound. */
export const OPERATIONS: ReadonlyMap<string, Operation> = new Map<string, Operation>([
  ['GenerateOTAUploadURL', generateOtaUploadUrl],
  ['CreateOTAFirmware', createOtaFirmware],
  ['ListOTAFirmware', listOtaFirmware],
  ['QueryOTAFirmware', queryOtaFirmware],
  ['DeleteOTAFirmware', deleteOtaFirmware],
  ['ListOTAModuleByProduct', listOtaModuleByProduct],
  ['CreateOTAModule', createOtaModule],
  ['GenerateDeviceNameListURL', generateDeviceNameListUrl],
  ['QueryDevice', queryDevice],
  ['BatchGetDeviceState', batchGetDeviceState],
  ['ListOTAModuleVersionsByDevice', listOtaModuleVersionsByDevice],
  ...JOB_OPERATIONS
])
