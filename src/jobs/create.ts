import type { CreatedJob, JobSummary } from './api.js'
import type { JobDeps } from './deps.js'

/** How to recognise, among the package's jobs, one that a lost create made. */
interface CreateLookup {
  /** Job ids of the package seen before the first attempt. */
  readonly before: ReadonlySet<string>
  readonly isMine: (job: JobSummary) => Promise<boolean>
}

/**
 * Creates a job with retries, never twice: after an attempt whose outcome is unknown (answer
 * lost, server failure), the package's jobs are listed first and a new one that `isMine` accepts
 * is adopted instead of sending the create again.
 */
export async function createJobOnce(
  operation: string,
  firmwareId: string,
  create: () => Promise<CreatedJob>,
  lookup: CreateLookup,
  deps: Pick<JobDeps, 'api' | 'retry' | 'isAmbiguous' | 'log'>
): Promise<string> {
  let unsure = false
  return deps.retry(operation, async () => {
    if (unsure) {
      const fresh = (await deps.api.listJobsByFirmware(firmwareId)).filter((job) => !lookup.before.has(job.JobId))
      for (const job of fresh) {
        if (await lookup.isMine(job)) {
          deps.log.info(`${operation} had created job ${job.JobId} before its answer was lost; following it.`)
          return job.JobId
        }
      }
    }
    try {
      return (await create()).JobId
    } catch (error) {
      unsure = unsure || deps.isAmbiguous(error)
      throw error
    }
  })
}
