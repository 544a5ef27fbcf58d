import { ActionError } from '../contract/action-error.js'
import type { DynamicJobParams, OtaTask, StaticJobParams } from '../platform/models.js'
import { newJobLookup } from '../jobs/package-state.js'
import type { JobDeps } from '../jobs/deps.js'
import { deadlineIn } from '../jobs/poll.js'
import { ROLLOUT_INPUT } from '../contract/names.js'
import { OVERWRITE_MODE } from '../platform/job-rules.js'
import { zeroCounts, type StatusCounts } from '../jobs/tasks.js'
import type { BudgetCheck } from './budget.js'
import { followRollout } from './follow.js'
import { inScheduleWindow, scheduleExpired, TARGET_SELECTION, type RolloutInputs, type RolloutScope } from './inputs.js'
import { findRolloutStart, isSameSelection, waitForEarlierStages } from './reuse.js'

type RolloutResult = 'started' | 'completed' | 'halted' | 'following-ended'

/** What a rollout run found and did. */
export interface RolloutOutcome {
  readonly result: RolloutResult
  readonly jobId: string
  /** Created by this run, or a running job of the same selection followed. */
  readonly origin: 'created' | 'followed'
  readonly jobStatus?: string
  readonly counts: StatusCounts
  readonly total: number
  readonly budget?: BudgetCheck
  readonly failedTasks: readonly OtaTask[]
  readonly cancelled: readonly string[]
  /** After a halt: tasks it could not stop (a page of each status), and how many. */
  readonly stillRunning: readonly OtaTask[]
  readonly stillRunningCount: number
}

type Inputs = Omit<RolloutInputs, 'connection'>

/** The settings every batch job of the inputs takes (a single job's, or each of a plan's), only the ones given. */
export function batchSettings(inputs: Omit<Inputs, keyof RolloutScope>) {
  return {
    FirmwareId: inputs.firmwareId,
    ProductKey: inputs.productKey,
    TimeoutInMinutes: inputs.timeoutInMinutes,
    NeedPush: inputs.needPush,
    NeedConfirm: inputs.needConfirm,
    DownloadProtocol: inputs.downloadProtocol,
    MaximumPerMinute: inputs.maxPerMinute,
    RetryInterval: inputs.retryInterval,
    RetryCount: inputs.retryCount,
    OverwriteMode: inputs.overwrite ? OVERWRITE_MODE.replace : undefined
  }
}

/** CreateOTAStaticUpgradeJob or CreateOTADynamicUpgradeJob parameters, only the ones given. */
export function jobParams(inputs: Inputs): { dynamic: true; params: DynamicJobParams } | { dynamic: false; params: StaticJobParams } {
  const common = {
    ...batchSettings(inputs),
    SrcVersion: inputs.srcVersions.length > 0 ? inputs.srcVersions : undefined,
    GroupId: inputs.groupId,
    GroupType: inputs.groupType
  }
  if (inputs.dynamic) return { dynamic: true, params: { ...common, DynamicMode: 1 } }
  return {
    dynamic: false,
    params: {
      ...common,
      TargetSelection: TARGET_SELECTION[inputs.selection],
      GrayPercent: inputs.grayPercent,
      TargetDeviceName: inputs.devices.length > 0 ? inputs.devices : undefined,
      ScheduleTime: inputs.scheduleTime
    }
  }
}

async function createJob(inputs: Inputs, known: ReadonlySet<string>, deps: JobDeps): Promise<string> {
  // Checked again here: waiting for an earlier stage may have taken the time out of the window.
  const now = deps.clock.now()
  if (inputs.scheduleTime !== undefined && !inScheduleWindow(inputs.scheduleTime, now)) throw scheduleExpired(inputs.scheduleTime, now)
  const job = jobParams(inputs)
  const lookup = newJobLookup(inputs.firmwareId, known, (j) => isSameSelection(j.JobId, inputs, deps), deps)
  const created = job.dynamic ? await deps.api.createDynamicUpgradeJob(job.params, lookup) : await deps.api.createStaticUpgradeJob(job.params, lookup)
  return created.JobId
}

/**
 * Rolls a verified package out: follows a running job of the same selection, or waits for
 * earlier static stages and creates the job; then follows it for `wait-minutes` under the budget.
 */
export async function rolloutPackage(inputs: Inputs, deps: JobDeps): Promise<RolloutOutcome> {
  const start = await deps.log.group("Look for this package's rollout", () => findRolloutStart(inputs.firmwareId, inputs, deps))
  let jobId: string
  if (start.kind === 'follow') {
    jobId = start.jobId
    deps.log.info(`Job ${jobId} of this package with the same selection is still running; following it instead of starting another.`)
  } else {
    if (start.earlier.length > 0) await deps.log.group('Wait for the earlier stage', () => waitForEarlierStages(start.earlier, inputs.waitMinutes, deps))
    jobId = await deps.log.group('Create the batch job', () => createJob(inputs, start.known, deps))
    deps.log.info(`Created job ${jobId}.`)
  }
  const origin = start.kind === 'follow' ? 'followed' : 'created'
  deps.onJob?.(jobId)
  if (inputs.waitMinutes === 0) {
    return { result: 'started', jobId, origin, counts: zeroCounts(), total: 0, failedTasks: [], cancelled: [], stillRunning: [], stillRunningCount: 0 }
  }
  const budget =
    inputs.maxFailurePercent === undefined ? undefined : { maxFailurePercent: inputs.maxFailurePercent, minFinishedDevices: inputs.minFinishedDevices }
  const plan = {
    jobId,
    firmwareId: inputs.firmwareId,
    productKey: inputs.productKey,
    dynamic: inputs.dynamic,
    scheduled: inputs.scheduleTime !== undefined,
    budget,
    deadline: deadlineIn(inputs.waitMinutes, deps)
  }
  const followed = await deps.log.group(`Follow job ${jobId}`, () => followRollout(plan, deps))
  const { ended, ...rest } = followed
  return { ...rest, result: ended, jobId, origin }
}

/** The error that fails the step: a halt, or a job cancelled from elsewhere. Undefined otherwise. */
export function rolloutFailure(outcome: RolloutOutcome): ActionError | undefined {
  const c = outcome.counts
  const tally = `SUCCEEDED ${c.SUCCEEDED}, FAILED ${c.FAILED}, CANCELED ${c.CANCELED} of ${outcome.total}`
  if (outcome.result === 'halted') {
    const b = outcome.budget
    const names = outcome.failedTasks.slice(0, 20).map((t) => t.DeviceName)
    const more = outcome.failedTasks.length > names.length ? ` and ${outcome.failedTasks.length - names.length} more` : ''
    const left = outcome.stillRunningCount > 0 ? ` ${outcome.stillRunningCount} task(s) could not be cancelled and may still upgrade (see the summary).` : ''
    return new ActionError(
      `Rollout job ${outcome.jobId} halted: ${b ? `${b.failed} of ${b.finished} finished devices failed (${b.failedPercent.toFixed(1)}%)` : 'the failure budget was exceeded'}, ` +
        `over '${ROLLOUT_INPUT.maxFailurePercent}'. ${tally}. Failed: ${names.join(', ')}${more}.${left}`,
      { input: ROLLOUT_INPUT.maxFailurePercent, hint: 'The job summary lists what the failed devices reported; fix the package and publish a new version.' }
    )
  }
  if (outcome.result === 'completed' && outcome.jobStatus === 'CANCELED' && outcome.cancelled.length === 0) {
    return new ActionError(`Rollout job ${outcome.jobId} was cancelled outside this run (${tally}).`)
  }
  return undefined
}
