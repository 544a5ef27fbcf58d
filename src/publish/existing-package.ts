/**
 * A re-run of a package of several files: the package of the same DestVersion is reused only when it
 * holds every file by name, size and digest; otherwise it is a conflict that names the files that differ.
 */
import { unsignedUrl } from '../report/format.js'
import type { PackageFile } from '../files/package-files.js'
import type { FirmwareDetail, FirmwareSummary, MultiFileParam } from '../platform/models.js'
import type { SignMethod } from '../platform/rules.js'
import type { Plan } from '../plan/plan.js'
import { eachLimited, PARALLEL_UPLOADS } from '../upload/package-upload.js'
import { baseParams } from './params.js'
import { refuseOrSkip } from './version-conflict.js'
import { fileDifferences, type LocalFile } from './package-match.js'
import type { PublishDeps, PublishedFile, PublishResult } from './publish.js'

const methodOf = (row: { SignMethod?: string }): SignMethod => (row.SignMethod ?? 'MD5').toUpperCase() as SignMethod

/** Digests every file (two at a time) by the plan's method, MD5 (FileMd5) and the methods the existing packages use. */
export async function digestFiles(
  files: readonly PackageFile[],
  plan: Plan,
  existing: readonly FirmwareSummary[],
  deps: Pick<PublishDeps, 'digestFile'>
): Promise<LocalFile[]> {
  const methods = [...new Set<SignMethod>([plan.signMethod, 'MD5', ...existing.map(methodOf)])]
  const { done, failure } = await eachLimited(files, PARALLEL_UPLOADS, async (file) => ({ name: file.name, ...(await deps.digestFile(file.path, methods)) }))
  if (failure) throw failure.error
  return files.map((_file, index) => done.get(index) as LocalFile)
}

/** The files as the run reports them; `urlOf` gives each one's URL when known. */
export function publishedFiles(
  files: readonly PackageFile[],
  local: readonly LocalFile[],
  method: SignMethod,
  urlOf: (index: number) => string
): PublishedFile[] {
  return files.map((file, i) => ({
    name: file.name,
    path: file.displayPath,
    size: local[i]?.size ?? file.size,
    sign: local[i]?.digests[method] ?? '',
    url: urlOf(i)
  }))
}

/** MultiFiles as CreateOTAFirmware takes them: name, URL, size and both digests. */
export function multiFilesParam(files: readonly PublishedFile[], local: readonly LocalFile[]): MultiFileParam[] {
  return files.map((file, i) => ({ Name: file.name, Url: file.url, Size: file.size, SignValue: file.sign || undefined, FileMd5: local[i]?.digests.MD5 }))
}

interface Existing {
  plan: Plan
  files: readonly PackageFile[]
  /** Every package of this product, version and module, with its files (QueryOTAFirmware). */
  existing: readonly FirmwareDetail[]
  local: readonly LocalFile[]
  deps: Pick<PublishDeps, 'log' | 'dryRun' | 'onVersionConflict'>
}

/** Reuses the package that holds every file; any other is a conflict (refused or skipped by `on-version-conflict`). */
export function decideOnExistingPackage(ctx: Existing): PublishResult {
  const { plan, files, existing, local, deps } = ctx
  const match = existing.find((row) => fileDifferences(row.MultiFiles, local, methodOf(row)).length === 0)
  if (match === undefined) return conflict(ctx)
  deps.log.info(`Package ${match.FirmwareId} (${match.FirmwareName}) already holds these ${files.length} files for ${plan.destVersion}; reusing it.`)
  const urls = new Map((match.MultiFiles ?? []).map((file) => [file.Name, unsignedUrl(file.Url)]))
  const published = publishedFiles(files, local, plan.signMethod, (i) => urls.get(files[i]?.name ?? '') ?? '')
  return {
    result: deps.dryRun ? 'dry-run' : 'reused',
    firmwareId: match.FirmwareId,
    utcCreate: match.UtcCreate,
    signMethod: plan.signMethod,
    files: published,
    createParams: { ...baseParams(plan), MultiFiles: multiFilesParam(published, local) },
    message: `reused ${match.FirmwareId}`
  }
}

function conflict({ plan, files, existing, local, deps }: Existing): PublishResult {
  const other = existing[0] as FirmwareDetail
  const differences = fileDifferences(other.MultiFiles, local, methodOf(other))
  const message =
    `DestVersion ${plan.destVersion} of module ${plan.moduleName} already has package ${other.FirmwareId} (${other.FirmwareName}) ` +
    `with other files: ${differences.join('; ')}.`
  refuseOrSkip(message, deps)
  return {
    result: 'skipped',
    firmwareId: other.FirmwareId,
    utcCreate: other.UtcCreate,
    signMethod: plan.signMethod,
    files: publishedFiles(files, local, plan.signMethod, () => ''),
    message
  }
}
