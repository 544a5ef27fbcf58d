import type { JobSummary } from '../platform/models.js'
import type { JobDeps } from '../jobs/deps.js'
import { newestFirst, readPackageJobs, type FirmwareState } from '../jobs/package-state.js'
import { FIRMWARE_STATUS, JOB_TYPE, UNFINISHED_JOB_STATUSES } from '../platform/job-rules.js'

/** What a verify run does, given the package's state and its jobs. */
type VerifyStart =
  /** NeedToVerify=false (Status -1): nothing to verify, no job is made even with devices given. */
  | { readonly kind: 'not-needed'; readonly firmware: FirmwareState }
  /** Verified already: `jobId` is the verification's job, when the list still has it. */
  | { readonly kind: 'verified'; readonly firmware: FirmwareState; readonly jobId?: string }
  /** A verify job of the package is unfinished: follow it instead of starting another. */
  | { readonly kind: 'follow'; readonly firmware: FirmwareState; readonly jobId: string }
  | { readonly kind: 'create'; readonly firmware: FirmwareState; readonly known: ReadonlySet<string> }

/**
 * Decides from QueryOTAFirmware's Status and ListOTAJobByFirmware: -1 needs nothing; 1 is verified
 * (its newest completed verify job named); an unfinished verify job is followed; otherwise
 * (0 unverified, 3 failed and so open to a new attempt) a job is created.
 */
export function decideVerifyStart(firmware: FirmwareState, jobs: readonly JobSummary[]): VerifyStart {
  if (firmware.Status === FIRMWARE_STATUS.notNeeded) return { kind: 'not-needed', firmware }
  const verifyJobs = newestFirst(jobs.filter((j) => j.JobType === JOB_TYPE.verify))
  if (firmware.Status === FIRMWARE_STATUS.verified) {
    const done = verifyJobs.find((j) => j.JobStatus === 'COMPLETED') ?? verifyJobs[0]
    return { kind: 'verified', firmware, jobId: done?.JobId }
  }
  const running = verifyJobs.find((j) => UNFINISHED_JOB_STATUSES.includes(j.JobStatus))
  if (running) return { kind: 'follow', firmware, jobId: running.JobId }
  // Status 2 without an unfinished job in the list: the newest verify job is the one verifying.
  if (firmware.Status === FIRMWARE_STATUS.verifying && verifyJobs[0]) return { kind: 'follow', firmware, jobId: verifyJobs[0].JobId }
  return { kind: 'create', firmware, known: new Set(jobs.map((j) => j.JobId)) }
}

/** Reads the package's state and jobs (two calls) and decides. */
export async function findVerifyStart(firmwareId: string, deps: Pick<JobDeps, 'api'>): Promise<VerifyStart> {
  const { firmware, jobs } = await readPackageJobs(firmwareId, deps)
  return decideVerifyStart(firmware, jobs)
}
