import type { SignMethod } from '../platform/rules.js'
import type { Artifact } from '../files/artifact.js'
import type { Digests } from '../files/digest.js'
import type { IotApi } from '../platform/client.js'
import type { CreateFirmwareParams } from '../platform/models.js'
import type { VersionConflictPolicy } from '../config/inputs.js'
import type { Plan } from '../plan/plan.js'
import type { FirmwareUploader } from '../upload/uploader.js'
import type { Logger } from '../contract/logger.js'
import type { Retrier } from '../platform/retrier.js'
import { decideOnExisting, findSamePackages, localFingerprint } from './existing.js'
import { dryRunResult } from './dry-run.js'
import { checkModule } from './module-check.js'
import { checkQuota } from './quota.js'
import { baseParams } from './params.js'
import { register } from './register.js'

export type PublishOutcome = 'created' | 'reused' | 'dry-run' | 'skipped'

/** One file of a package as the run reports it (outputs, summary, manifest). */
export interface PublishedFile {
  /** Its name in the package (MultiFiles.N.Name): the file's name. */
  readonly name: string
  /** As matched, relative to the workspace. */
  readonly path: string
  readonly size: number
  /** Lower-case hex by the plan's sign method. */
  readonly sign: string
  /** As registered, never signed; empty when not known (a dry run of the platform upload). */
  readonly url: string
}

export interface PublishResult {
  readonly result: PublishOutcome
  readonly firmwareId?: string
  readonly utcCreate?: string
  /** The single file's: size, digest and URL are the files' own in a package of several. */
  readonly firmwareUrl?: string
  readonly size?: number
  readonly sign?: string
  readonly signMethod: SignMethod
  /** A package of several files: each of them. */
  readonly files?: readonly PublishedFile[]
  /** What was (or, in a dry run, would have been) sent to CreateOTAFirmware. */
  readonly createParams?: CreateFirmwareParams
  readonly message?: string
  /** Dry run with credentials: what the read-only permission probe found. */
  readonly probe?: string
  /** Dry run: what the upload would do, by `upload-mode` (where the file goes, what is there now). */
  readonly uploadPlan?: string
}

export interface PublishDeps {
  /** Absent only in a dry run without credentials: then nothing is looked up. */
  iot: IotApi | undefined
  /** Puts the file in place (`upload-mode`); absent only in a dry run without credentials. */
  uploader: FirmwareUploader | undefined
  digestFile: (path: string, methods: readonly SignMethod[]) => Promise<{ size: number; digests: Digests }>
  /** Fails clearly when the file vanished or changed since it was found (checked before each upload). */
  recheck?: (artifact: Artifact) => Promise<void>
  /**
   * The run's retry, for the upload (one call of the uploader is one attempt); the client retries its
   * own calls, and the oss uploader each of its requests, with the same retry: their errors arrive
   * explained (ActionError), which this one does not retry again.
   */
  retry: Retrier
  log: Logger
  dryRun: boolean
  onVersionConflict: VersionConflictPolicy
  /** Input `package-quota`: the account's count is read before a new package is uploaded. */
  packageQuota: number
}

/**
 * Publishes one firmware file: checks that the product has the module, finds an existing package for the same version (re-runs reuse it),
 * puts the file in place through `deps.uploader` (one call per attempt), and registers it with
 * CreateOTAFirmware, looking again before any repeat so that one publish never makes two packages.
 * An upload whose registration failed for good is discarded when the uploader can (oss mode), or
 * said to be left behind. `artifact` is undefined only in url mode without a file.
 */
export async function publishFirmware(plan: Plan, artifact: Artifact | undefined, deps: PublishDeps): Promise<PublishResult> {
  const { iot, log, retry } = deps
  const moduleCheck = iot && (await log.group('Check the OTA module', () => checkModule(iot, plan, log)))
  // A re-run (or a dry run) needs the digest before deciding; a first run digests while uploading.
  const existing = iot ? await log.group('Look for an existing package', () => findSamePackages(iot, plan)) : []
  const local = existing.length > 0 || deps.dryRun ? await localFingerprint(plan, artifact, existing, deps) : undefined
  if (iot && local && existing.length > 0) {
    const decided = await decideOnExisting({ iot, plan, artifact, existing, local, deps })
    if (decided) return decided
  }
  // Only a new package counts against the quota: a reused one was checked above without it.
  if (iot) await log.group('Check the package quota', () => checkQuota(iot, deps.packageQuota, log, deps.dryRun))
  if (deps.dryRun || !iot) return dryRunResult(plan, artifact, { local, existingCount: existing.length, moduleCheck }, deps)

  const { uploader } = deps
  if (!uploader) throw new Error('publishFirmware needs an uploader outside a dry run')
  const uploaded = await log.group(uploader.label, () =>
    retry(uploader.label, async () => {
      if (artifact) await deps.recheck?.(artifact)
      return uploader.upload(artifact, [plan.signMethod])
    })
  )
  return register({ iot, plan, uploaded, params: baseParams(plan), log })
}
