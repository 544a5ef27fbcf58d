import type { Lookup } from '../platform/client.js'
import type { CreatedJob, FirmwareDetail, JobSummary } from '../platform/models.js'
import { malformed } from '../platform/read-answers.js'
import type { JobDeps } from './deps.js'

/** A package as the job actions need it: its verification Status is always known. */
export interface FirmwareState extends FirmwareDetail {
  /** -1 no verification needed, 0 unverified, 1 verified, 2 verifying, 3 verification failed. */
  readonly Status: number
  readonly VerifyProgress: number
}

/** What every job action reads first: the package's state and every job it has (two calls). */
export interface PackageJobs {
  readonly firmware: FirmwareState
  readonly jobs: readonly JobSummary[]
}

/** QueryOTAFirmware, its Status required. */
export async function readFirmwareState(firmwareId: string, deps: Pick<JobDeps, 'api'>): Promise<FirmwareState> {
  const detail = await deps.api.queryFirmware(firmwareId)
  if (detail.Status === undefined) throw malformed('QueryOTAFirmware')('FirmwareInfo.Status')
  return { ...detail, FirmwareId: detail.FirmwareId || firmwareId, Status: detail.Status, VerifyProgress: detail.VerifyProgress ?? 0 }
}

export async function readPackageJobs(firmwareId: string, deps: Pick<JobDeps, 'api'>): Promise<PackageJobs> {
  const firmware = await readFirmwareState(firmwareId, deps)
  return { firmware, jobs: await deps.api.listJobsByFirmware(firmwareId) }
}

/** Newest first, by UtcCreate. */
export function newestFirst(jobs: readonly JobSummary[]): JobSummary[] {
  return [...jobs].sort((a, b) => (b.UtcCreate ?? '').localeCompare(a.UtcCreate ?? ''))
}

/**
 * The lookup of a job create whose answer was lost: a job of the package that was not there
 * before (`known`) and that `isMine` accepts, newest first.
 */
export function newJobLookup(
  firmwareId: string,
  known: ReadonlySet<string>,
  isMine: (job: JobSummary) => Promise<boolean>,
  deps: Pick<JobDeps, 'api'>
): Lookup<CreatedJob> {
  return async () => {
    const fresh = newestFirst(await deps.api.listJobsByFirmware(firmwareId)).filter((job) => !known.has(job.JobId))
    for (const job of fresh) if (await isMine(job)) return { JobId: job.JobId, UtcCreate: job.UtcCreate ?? '' }
    return undefined
  }
}
