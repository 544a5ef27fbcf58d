/**
 * Halting a plan: every unfinished task of every job of the plan cancelled, then the halt recorded
 * on the platform with its reason, where every later run finds it (also when nothing was left to
 * cancel, e.g. a health halt after every device had succeeded).
 */
import { ActionError } from '../../contract/action-error.js'
import { ROLLOUT_INPUT } from '../../contract/names.js'
import { haltJob } from '../../jobs/halt.js'
import { UNFINISHED_JOB_STATUSES } from '../../platform/job-rules.js'
import type { OtaTask } from '../../platform/models.js'
import type { PlanContext, PlanDeps } from './context.js'
import { writeMarker } from './markers.js'
import type { PlanState } from './state.js'
import type { PlanJob } from './tags.js'

export interface PlanHalt {
  readonly stage: number
  readonly reason: string
  readonly at: string
  /** What the platform confirmed cancelled, job by job, in words. */
  readonly stopped: readonly string[]
  /** Tasks no cancel could stop (the first of each status), and how many. */
  readonly stillRunning: readonly OtaTask[]
  readonly stillRunningCount: number
  readonly markerJobId: string
}

/** A device the marker can name: one that already succeeded in the plan, else any device of its jobs. */
async function markerDevice(jobs: readonly PlanJob[], fallback: () => Promise<string>, deps: Pick<PlanDeps, 'api'>): Promise<string> {
  for (const status of ['SUCCEEDED', undefined] as const) {
    for (const job of jobs) {
      const task = (await deps.api.listTasksByJob(job.jobId, 1, 1, status)).Tasks[0]
      if (task) return task.DeviceName
    }
  }
  return fallback()
}

/**
 * Cancels what runs, then records the halt. `fallbackDevice` names a device when the plan has no
 * task at all (a halt before its first stage): the first device of the fleet.
 */
export async function haltPlan(ctx: PlanContext, state: PlanState, reason: string, fallbackDevice: () => Promise<string>, deps: PlanDeps): Promise<PlanHalt> {
  const stageJobs = state.jobs.filter((j) => j.kind === 'stage')
  const stopped: string[] = []
  const stillRunning: OtaTask[] = []
  let stillRunningCount = 0
  for (const job of stageJobs.filter((j) => UNFINISHED_JOB_STATUSES.includes(j.jobStatus))) {
    const target = { jobId: job.jobId, firmwareId: ctx.firmwareId, productKey: ctx.productKey, dynamic: false, scheduled: false }
    const halted = await haltJob(target, deps)
    stopped.push(...halted.stopped.map((line) => `job ${job.jobId} (stage ${job.stage}): ${line}`))
    stillRunning.push(...halted.stillRunning)
    stillRunningCount += halted.stillRunningCount
  }
  const stage = Math.max(1, state.current)
  const gen = state.stages[stage - 1]?.gen ?? 1
  const device = await markerDevice(stageJobs, fallbackDevice, deps)
  const marker = await writeMarker(ctx, { kind: 'halt', stage, gen, reason, device }, deps)
  deps.log.warning(`Halted the plan at stage ${stage}: ${reason} Recorded as job ${marker.jobId}.`)
  return { stage, reason, at: marker.at, stopped, stillRunning, stillRunningCount, markerJobId: marker.jobId }
}

/** The error of an operation that needs a running plan, on a halted one: it changes nothing, and says when and why, and how to resume. */
export function haltedPlanError(halt: { stage: number; at: string; reason: string }): ActionError {
  return new ActionError(`The plan was halted at stage ${halt.stage} on ${halt.at}: ${halt.reason} Nothing was changed.`, {
    hint: `Fix the cause, then run with '${ROLLOUT_INPUT.operation}: resume' to restart stage ${halt.stage} for its devices that have not succeeded.`
  })
}

/**
 * Keeps a halt: stage jobs a run racing the halt created after it are cancelled as the halt
 * cancelled the others. Nothing is written when there are none, which is the rule.
 */
export async function enforceHalt(ctx: PlanContext, state: PlanState, deps: PlanDeps): Promise<void> {
  for (const job of state.halt?.strays ?? []) {
    const target = { jobId: job.jobId, firmwareId: ctx.firmwareId, productKey: ctx.productKey, dynamic: false, scheduled: false }
    await haltJob(target, deps)
    deps.log.warning(`Cancelled job ${job.jobId} (stage ${job.stage}), created after the plan was halted on ${state.halt?.at ?? ''}: the halt stands.`)
  }
}
