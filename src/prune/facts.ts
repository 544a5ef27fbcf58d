/** What a prune run learns of the packages' jobs, and the platform's answers it reads as facts. */
import { ActionError } from '../contract/action-error.js'
import { ApiError } from '../net/api-error.js'
import type { IotApi } from '../platform/client.js'
import type { JobSummary } from '../platform/models.js'
import { readJobs, type JobFacts } from './policy.js'

/** The code a call about a package that does not exist (any more) answers. */
export const FIRMWARE_NOT_FOUND = 'iot.ota.FirmwareNotFound'

/** The platform's code of a failed call, whichever form the error has reached us in. */
export function codeOf(error: unknown): string | undefined {
  return error instanceof ActionError || error instanceof ApiError ? error.code : undefined
}

/** The facts of one run, growing as it reads jobs. */
export interface Knowledge extends JobFacts {
  readonly read: Set<string>
  readonly rolledOut: Set<string>
  readonly running: Map<string, JobSummary>
  /** Jobs read since the package list was last read: a delete goes only on these. */
  readonly fresh: Set<string>
}

export function emptyKnowledge(): Knowledge {
  return { read: new Set(), rolledOut: new Set(), running: new Map(), fresh: new Set() }
}

/**
 * Reads the package's jobs (ListOTAJobByFirmware, every page) into what the run knows. A package
 * the platform no longer finds is `gone` (another run or a person deleted it); one with a job in
 * use, `running`.
 */
export async function learnJobs(firmwareId: string, known: Knowledge, api: Pick<IotApi, 'listJobsByFirmware'>): Promise<'gone' | 'running' | 'idle'> {
  let jobs: JobSummary[]
  try {
    jobs = await api.listJobsByFirmware(firmwareId)
  } catch (error) {
    if (codeOf(error) === FIRMWARE_NOT_FOUND) return 'gone'
    throw error
  }
  const { rolledOut, running } = readJobs(jobs)
  known.read.add(firmwareId)
  known.fresh.add(firmwareId)
  if (rolledOut) known.rolledOut.add(firmwareId)
  if (running) known.running.set(firmwareId, running)
  else known.running.delete(firmwareId)
  return running ? 'running' : 'idle'
}
