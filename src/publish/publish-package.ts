/**
 * Publishes a package of several files (`multi-files`): the same steps as one file (module check,
 * re-run check, quota), then every file uploaded on its own, two at a time, and one
 * CreateOTAFirmware with MultiFiles once the last is up.
 */
import type { PackageFile } from '../files/package-files.js'
import type { IotApi } from '../platform/client.js'
import type { Plan } from '../plan/plan.js'
import { describePlatformUpload } from '../upload/platform/uploader.js'
import { PARALLEL_UPLOADS, uploadFiles, type UploadedFile } from '../upload/package-upload.js'
import type { FirmwareUploader } from '../upload/uploader.js'
import { findSamePackages } from './existing.js'
import { decideOnExistingPackage, digestFiles, multiFilesParam, publishedFiles } from './existing-package.js'
import { checkModule } from './module-check.js'
import type { LocalFile } from './package-match.js'
import { baseParams } from './params.js'
import type { PublishDeps, PublishResult } from './publish.js'
import { checkQuota } from './quota.js'
import { createPackage } from './register.js'

export interface PackageDeps extends Omit<PublishDeps, 'uploader' | 'recheck'> {
  /** One per file, in the files' order; absent only in a dry run without credentials. */
  uploaders: readonly FirmwareUploader[] | undefined
  /** Fails clearly when a file vanished or changed since it was found (checked before each upload). */
  recheck?: (file: PackageFile) => Promise<void>
}

/** What the dry run reports: the uploads it would make and the CreateOTAFirmware it would send. */
async function dryRun(
  plan: Plan,
  files: readonly PackageFile[],
  local: readonly LocalFile[],
  probe: string | undefined,
  deps: PackageDeps
): Promise<PublishResult> {
  const { uploaders } = deps
  const steps = await Promise.all(files.map((file, i) => uploaders?.[i]?.describe(file) ?? Promise.resolve(describePlatformUpload(file))))
  const published = publishedFiles(files, local, plan.signMethod, (i) => uploaders?.[i]?.firmwareUrl ?? '')
  const params = multiFilesParam(published, local).map((file) => ({ ...file, Url: file.Url || '(from GenerateOTAUploadURL)' }))
  return {
    result: 'dry-run',
    probe,
    uploadPlan: steps.join(' '),
    signMethod: plan.signMethod,
    files: published,
    createParams: { ...baseParams(plan), MultiFiles: params }
  }
}

/** CreateOTAFirmware with MultiFiles, without FirmwareUrl, FirmwareSign and FirmwareSize. */
async function register(iot: IotApi, plan: Plan, uploads: readonly UploadedFile[], deps: PackageDeps): Promise<PublishResult> {
  const local = uploads.map(({ file, uploaded }) => ({ name: file.name, size: uploaded.size ?? file.size, digests: uploaded.digests }))
  const files = publishedFiles(
    uploads.map((u) => u.file),
    local,
    plan.signMethod,
    (i) => uploads[i]?.uploaded.firmwareUrl ?? ''
  )
  const params = { ...baseParams(plan), MultiFiles: multiFilesParam(files, local) }
  const created = await createPackage({ iot, plan, params, uploads: uploads.map((u) => u.uploaded), log: deps.log })
  return { result: 'created', firmwareId: created.FirmwareId, utcCreate: created.UtcCreate, signMethod: plan.signMethod, files, createParams: params }
}

/** Publishes the files as one package; `files` are 2 to 20, checked (findPackageFiles). */
export async function publishPackage(plan: Plan, files: readonly PackageFile[], deps: PackageDeps): Promise<PublishResult> {
  const { iot, log } = deps
  const moduleCheck = iot && (await log.group('Check the OTA module', () => checkModule(iot, plan, log)))
  // Every package of the version is read with its files: a re-run compares them one by one.
  const existing = iot ? await log.group('Look for an existing package', () => findSamePackages(iot, plan, true)) : []
  const local = existing.length > 0 || deps.dryRun ? await log.group('Digest the files', () => digestFiles(files, plan, existing, deps)) : []
  if (existing.length > 0) return decideOnExistingPackage({ plan, files, existing, local, deps })
  if (iot) await log.group('Check the package quota', () => checkQuota(iot, deps.packageQuota, log, deps.dryRun))
  if (deps.dryRun || !iot) {
    const probe = moduleCheck && `ListOTAFirmware for product ${plan.productKey} succeeded: the credentials can read OTA packages. ${moduleCheck}`
    return dryRun(plan, files, local, probe, deps)
  }
  const { uploaders } = deps
  if (!uploaders) throw new Error('publishPackage needs the uploaders outside a dry run')
  const uploads = files.map((file, i) => ({ file, uploader: uploaders[i] as FirmwareUploader }))
  // Each file's digests are computed on its way up: MD5 for FileMd5, and the package's SignMethod.
  const uploaded = await log.group(`Upload ${files.length} files, ${PARALLEL_UPLOADS} at a time`, () =>
    uploadFiles(uploads, [plan.signMethod, 'MD5'], { retry: deps.retry, log, recheck: deps.recheck })
  )
  return register(iot, plan, uploaded, deps)
}
