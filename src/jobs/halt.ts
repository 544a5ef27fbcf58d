/**
 * Stopping a batch job so that no device upgrades any further, and saying only what the platform
 * confirms: its tasks are read again after the cancels, and what still runs is named.
 */
import { platformCode } from '../platform/explain.js'
import type { CancelFlags, OtaTask } from '../platform/models.js'
import { CANCEL_DEVICES_MAX, UNREPORTED_TASK_STATUSES, type TaskStatus } from '../platform/job-rules.js'
import type { JobDeps } from './deps.js'
import { readTasks } from './tasks.js'

/** At most this many pages of each unfinished status are read to cancel stragglers by device (1,000 tasks each). */
const STRAGGLER_PAGES = 10

/** The statuses a halt must leave empty. */
const UNFINISHED: readonly TaskStatus[] = [...UNREPORTED_TASK_STATUSES, 'IN_PROGRESS']
/** CancelOTATaskByDevice cancels these; CONFIRM only goes by job, with CancelUnconfirmedTask. */
const BY_DEVICE: readonly TaskStatus[] = ['QUEUED', 'NOTIFIED', 'IN_PROGRESS']

export interface HaltTarget {
  readonly jobId: string
  readonly firmwareId: string
  readonly productKey: string
  /** A dynamic job also has its strategy cancelled: no device joins any more. */
  readonly dynamic: boolean
  /** Created with ScheduleTime: its tasks are cancelled with CancelScheduledTask too. */
  readonly scheduled: boolean
}

export interface HaltReport {
  /** What the platform confirmed as stopped, in words. */
  readonly stopped: readonly string[]
  /** Tasks still unfinished after every cancel (at most a page of each status): they may still upgrade. */
  readonly stillRunning: readonly OtaTask[]
  /** How many tasks are still unfinished. */
  readonly stillRunningCount: number
}

/** The job ended on its own, or was cancelled, before this cancel: nothing there is left to stop by it. */
const ALREADY_ENDED = ['iot.ota.JobHasFinished', 'iot.ota.JobHasCanceled', 'iot.ota.JobCanceled']

/** Runs a cancel; false when the platform says the job had ended (or been cancelled) already, as after a lost answer. */
export async function unlessEnded(cancel: Promise<void>): Promise<boolean> {
  return cancel.then(
    () => true,
    (error: unknown) => {
      if (ALREADY_ENDED.includes(platformCode(error) ?? '')) return false
      throw error
    }
  )
}

/** How many tasks of the job are in these statuses (a one-row page each). */
async function countOf(jobId: string, statuses: readonly TaskStatus[], deps: Pick<JobDeps, 'api'>): Promise<number> {
  let total = 0
  for (const status of statuses) total += (await deps.api.listTasksByJob(jobId, 1, 1, status)).Total
  return total
}

const unfinishedCount = (jobId: string, deps: Pick<JobDeps, 'api'>) => countOf(jobId, UNFINISHED, deps)

/** The tasks left unfinished, cancelled device by device (the job's own cancel may be refused once its strategy is). */
async function cancelStragglers(target: HaltTarget, deps: Pick<JobDeps, 'api'>): Promise<number> {
  let cancelled = 0
  for (const status of BY_DEVICE) {
    const names = (await readTasks(deps, target.jobId, status, STRAGGLER_PAGES)).map((t) => t.DeviceName)
    for (let i = 0; i < names.length; i += CANCEL_DEVICES_MAX) {
      const DeviceName = names.slice(i, i + CANCEL_DEVICES_MAX)
      await deps.api.cancelTasksByDevice({ FirmwareId: target.firmwareId, ProductKey: target.productKey, DeviceName, JobId: target.jobId })
      cancelled += DeviceName.length
    }
  }
  return cancelled
}

/** What still runs after the cancels: how many, and the first page of each status by name. */
async function stillRunning(jobId: string, deps: Pick<JobDeps, 'api'>): Promise<{ count: number; tasks: OtaTask[] }> {
  const count = await unfinishedCount(jobId, deps)
  const tasks: OtaTask[] = []
  if (count > 0) for (const status of UNFINISHED) tasks.push(...(await readTasks(deps, jobId, status, 1)))
  return { count, tasks }
}

/**
 * Halts a job: every unfinished task cancelled by job (scheduled, queued, notified, unconfirmed,
 * in progress), the dynamic strategy cancelled, then whatever is still unfinished cancelled by
 * device, and read once more. Only what the platform confirms is reported as stopped.
 */
export async function haltJob(target: HaltTarget, deps: Pick<JobDeps, 'api' | 'log'>): Promise<HaltReport> {
  // What the platform confirms cancelled: the tasks that turned CANCELED meanwhile (others may have finished on their own).
  const canceledBefore = await countOf(target.jobId, ['CANCELED'], deps)
  const flags: CancelFlags = {
    CancelUnconfirmedTask: true,
    CancelQueuedTask: true,
    CancelNotifiedTask: true,
    CancelInProgressTask: true,
    ...(target.scheduled ? { CancelScheduledTask: true } : {})
  }
  await unlessEnded(deps.api.cancelTasksByJob(target.jobId, flags))
  const stopped: string[] = []
  if (target.dynamic && (await unlessEnded(deps.api.cancelStrategyByJob(target.jobId)))) stopped.push('the dynamic upgrade strategy (no device joins any more)')
  if ((await unfinishedCount(target.jobId, deps)) > 0) {
    const byDevice = await cancelStragglers(target, deps)
    if (byDevice > 0) deps.log.info(`Job ${target.jobId}: cancelled ${byDevice} task(s) device by device after the job's own cancel.`)
  }
  const left = await stillRunning(target.jobId, deps)
  const confirmed = Math.max(0, (await countOf(target.jobId, ['CANCELED'], deps)) - canceledBefore)
  if (confirmed > 0) stopped.push(`${confirmed} unfinished task(s), now CANCELED (${Object.keys(flags).join(', ')})`)
  for (const line of stopped) deps.log.warning(`Halted job ${target.jobId}: cancelled ${line}.`)
  if (left.count > 0) {
    const named = left.tasks.map((t) => `${t.DeviceName} ${t.TaskStatus}`).join(', ')
    deps.log.warning(`Job ${target.jobId}: ${left.count} task(s) could not be cancelled and may still upgrade: ${named}.`)
  }
  return { stopped, stillRunning: left.tasks, stillRunningCount: left.count }
}
