import { readFileSync } from 'node:fs'
import { jobErrors } from '../jobs/errors.js'
import type { DeviceListFile } from '../jobs/host.js'
import { PLATFORM_BUCKET } from '../oss/bucket-names.js'
import { issueUploadPolicy } from '../oss/platform-bucket/policy.js'
import type { EmulatorContext } from '../server/context.js'
import { randomHex } from '../state/ids.js'
import type { OperationCall } from './operation.js'

/** A device list file is at most 5 MB (documented): the issued policy's content-length-range. */
const DEVICE_LIST_MAX_BYTES = 5 * 1024 * 1024

/**
 * GenerateDeviceNameListURL: a PostObject form for a `.csv` in the platform's bucket, valid as long
 * as GenerateOTAUploadURL's (1 minute). Two fields are named apart from GenerateOTAUploadURL's:
 * `AccessKeyId` (the form's OSSAccessKeyId) and `FileUrl` (what DnListFileUrl takes).
 */
export function generateDeviceNameListUrl({ now, context }: OperationCall): Record<string, unknown> {
  const key = `ota/${randomHex(16)}/${randomHex(16).toUpperCase()}.csv`
  const host = context.urls.bucket(PLATFORM_BUCKET)
  const fileUrl = `${host}/${key}`
  const { policy, signature } = issueUploadPolicy(key, now + context.settings.uploadPolicyTtlMs, DEVICE_LIST_MAX_BYTES, context.ossKey)
  context.store.deviceLists.set(fileUrl, { key })
  return {
    Data: {
      Host: host,
      Key: key,
      AccessKeyId: context.ossKey.accessKeyId,
      Policy: policy,
      Signature: signature,
      FileUrl: fileUrl,
      ObjectStorage: 'OSS',
      UtcCreate: new Date(now).toISOString()
    }
  }
}

/**
 * The file a DnListFileUrl names: issued by GenerateDeviceNameListURL, uploaded, used by no job yet,
 * and uploaded within `deviceListTtlMs` (60 minutes: later the platform cleans it up).
 */
export function deviceListFile(context: EmulatorContext, url: string, now: number): DeviceListFile {
  const issued = context.store.deviceLists.get(url)
  if (!issued) throw jobErrors.illegal(`The DnListFileUrl was not issued by GenerateDeviceNameListURL: ${url}`)
  if (issued.usedBy !== undefined) throw jobErrors.illegal(`The DnListFileUrl was used by job ${issued.usedBy} already: upload a list for each job.`)
  const object = context.store.objects.get(issued.key)
  if (!object) throw jobErrors.illegal('No file was uploaded to the DnListFileUrl: upload it with PostObject first.')
  if (now - (object.storedAt ?? now) > context.settings.deviceListTtlMs) {
    throw jobErrors.illegal('The device list file was uploaded more than 60 minutes ago and has been cleaned up: upload it again.')
  }
  return {
    text: readFileSync(object.path, 'utf8'),
    consume: (jobId) => {
      issued.usedBy = jobId
    }
  }
}
