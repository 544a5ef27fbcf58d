import { ActionError } from '../contract/action-error.js'
import type { JobDetail, JobSummary } from '../platform/models.js'
import { newestFirst, readFirmwareState, type FirmwareState } from '../jobs/package-state.js'
import type { JobDeps } from '../jobs/deps.js'
import { ROLLOUT_INPUT } from '../contract/names.js'
import { deadlineIn, pollUntil } from '../jobs/poll.js'
import { FIRMWARE_STATUS, JOB_TYPE, UNFINISHED_JOB_STATUSES, type DownloadProtocol } from '../platform/job-rules.js'
import { protocolRefusal } from '../jobs/download-protocol.js'
import type { JobBasics } from '../jobs/job-inputs.js'
import { readTasks } from '../jobs/tasks.js'
import { TARGET_SELECTION, type RolloutScope } from './inputs.js'

/** How long to wait at least for an earlier stage before giving up (longer when wait-minutes is). */
const EARLIER_STAGE_WAIT_MINUTES = 60

const FIRMWARE_REFUSALS: Record<number, string> = {
  [FIRMWARE_STATUS.unverified]: 'has not been verified',
  [FIRMWARE_STATUS.verifying]: 'is still being verified',
  [FIRMWARE_STATUS.failed]: 'failed its verification'
}

/**
 * A batch job needs a verified package (Status 1) or one that needs no verification (-1), and a
 * download protocol the package can go by (a package of several files: HTTPS).
 */
export function firmwareGate(firmware: FirmwareState, protocol: DownloadProtocol): ActionError | undefined {
  const why = FIRMWARE_REFUSALS[firmware.Status]
  if (why === undefined) return protocolRefusal(firmware, protocol)
  return new ActionError(`Package ${firmware.FirmwareId} ${why} (Status ${firmware.Status}): the platform starts batch upgrades only for verified packages.`, {
    input: ROLLOUT_INPUT.firmwareId,
    hint: 'Run the verify action (uses: <owner>/<repo>/verify@v1) on a few test devices first, and start the rollout after it succeeded.'
  })
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const set = new Set(a)
  return set.size === new Set(b).size && b.every((x) => set.has(x))
}

/**
 * Whether a job (QueryOTAJob) targets what the inputs ask for. `jobDevices`: the DeviceNames of
 * its tasks, needed only for a SPECIFIC job.
 */
export function sameSelection(job: JobDetail, scope: RolloutScope, jobDevices: readonly string[] = []): boolean {
  if (job.JobType !== JOB_TYPE.upgrade || (job.SelectionType === 'DYNAMIC') !== scope.dynamic) return false
  if (!sameSet(job.SrcVersions, scope.srcVersions) || (job.GroupId ?? '') !== (scope.groupId ?? '')) return false
  if (scope.dynamic) return true
  if (job.TargetSelection !== TARGET_SELECTION[scope.selection]) return false
  if (scope.selection === 'gray') return Number(job.GrayPercent) === Number(scope.grayPercent)
  return scope.selection !== 'devices' || sameSet(jobDevices, scope.devices)
}

/** Reads a job and, for a device list, its devices, then compares. */
export async function isSameSelection(jobId: string, scope: RolloutScope, deps: Pick<JobDeps, 'api'>): Promise<boolean> {
  const job = await deps.api.queryJob(jobId)
  const devices = job.TargetSelection === 'SPECIFIC' && scope.selection === 'devices' ? (await readTasks(deps, jobId)).map((t) => t.DeviceName) : []
  return sameSelection(job, scope, devices)
}

type RolloutStart =
  /** A job of this package with the same selection is planned or running: follow it. */
  | { readonly kind: 'follow'; readonly jobId: string }
  /** Create one; `earlier` are static stages of the package still running. */
  | { readonly kind: 'create'; readonly known: ReadonlySet<string>; readonly earlier: readonly JobSummary[] }

/** Checks the package may be rolled out, then looks for this rollout's job among the package's jobs. */
export async function findRolloutStart(
  firmwareId: string,
  scope: RolloutScope & Pick<JobBasics, 'downloadProtocol'>,
  deps: Pick<JobDeps, 'api'>
): Promise<RolloutStart> {
  // The gate first: an unverified package needs no look at its jobs.
  const refusal = firmwareGate(await readFirmwareState(firmwareId, deps), scope.downloadProtocol)
  if (refusal) throw refusal
  const jobs = await deps.api.listJobsByFirmware(firmwareId)
  const running = newestFirst(jobs.filter((j) => j.JobType === JOB_TYPE.upgrade && UNFINISHED_JOB_STATUSES.includes(j.JobStatus)))
  for (const job of running) {
    if (await isSameSelection(job.JobId, scope, deps)) return { kind: 'follow', jobId: job.JobId }
  }
  return { kind: 'create', known: new Set(jobs.map((j) => j.JobId)), earlier: running.filter((j) => j.SelectionType !== 'DYNAMIC') }
}

/** Devices of a job that are upgrading or about to: a new batch would fail their tasks. */
async function activeDevices(jobId: string, deps: Pick<JobDeps, 'api'>): Promise<number> {
  let active = 0
  for (const status of ['CONFIRM', 'NOTIFIED', 'IN_PROGRESS'] as const) {
    active += (await deps.api.listTasksByJob(jobId, 1, 1, status)).Total
  }
  return active
}

/**
 * Waits until no earlier static stage has a device pushed or upgrading, since a device can be in
 * one batch only. Devices still QUEUED there (offline) are not waited for: their tasks in the new
 * stage fail as busy in another batch, which the failure budget does not count.
 */
export async function waitForEarlierStages(earlier: readonly JobSummary[], waitMinutes: number, deps: JobDeps): Promise<void> {
  const minutes = Math.max(waitMinutes, EARLIER_STAGE_WAIT_MINUTES)
  const pending = new Set(earlier.map((j) => j.JobId))
  deps.log.info(`Earlier stage(s) of this package still running: ${[...pending].join(', ')}. Waiting for them to finish before starting this stage.`)
  const end = await pollUntil(
    async () => {
      for (const jobId of [...pending]) {
        const job = await deps.api.queryJob(jobId)
        if (!UNFINISHED_JOB_STATUSES.includes(job.JobStatus) || (await activeDevices(jobId, deps)) === 0) pending.delete(jobId)
      }
      return { done: pending.size === 0, value: [...pending] }
    },
    deadlineIn(minutes, deps),
    deps.clock,
    deps.pacing
  )
  if (end.timedOut) {
    throw new ActionError(
      `Earlier stage(s) ${end.value.join(', ')} of this package still have devices upgrading after ${minutes} minutes; starting this stage now would fail their tasks.`,
      {
        input: ROLLOUT_INPUT.waitMinutes,
        hint: `Re-run when the earlier stage has finished, or raise '${ROLLOUT_INPUT.waitMinutes}'.`
      }
    )
  }
  deps.log.info('The earlier stage(s) have no device upgrading any more.')
}
