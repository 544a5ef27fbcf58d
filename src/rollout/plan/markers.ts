/**
 * Markers: how a plan records on the platform what no job state says by itself, the moment a stage
 * passed (its soak counts from then) and a halt with its reason. A marker is a static job for one
 * device, scheduled six days ahead, tagged, and cancelled at once (CancelScheduledTask): it never
 * touches the device. Its device is one that already runs the DestVersion when there is one, which
 * the platform would skip even if the cancel were lost.
 */
import { ActionError } from '../../contract/action-error.js'
import { MINUTE_MS } from '../../platform/job-rules.js'
import type { PlanContext, PlanDeps } from './context.js'
import { unlessEnded } from '../../jobs/halt.js'
import { planJobLookup } from './records.js'
import { markerTags, type PlanJob } from './tags.js'

/** Inside ScheduleTime's window (5 minutes to 7 days ahead, real time) with a day to spare. */
const MARKER_LEAD_MS = 6 * 24 * 60 * MINUTE_MS

export interface Marker {
  readonly kind: 'pass' | 'halt'
  readonly stage: number
  readonly gen: number
  readonly reason?: string
  /** The device the marker job names (it is never touched). */
  readonly device: string
}

/** Whether a marker can no longer touch its device: the job is CANCELED, or none of its tasks is left but CANCELED ones. */
async function markerStopped(jobId: string, deps: PlanDeps): Promise<boolean> {
  if ((await deps.api.queryJob(jobId)).JobStatus === 'CANCELED') return true
  // A job whose device already runs the version may have no task at all; either way nothing can upgrade.
  const tasks = await deps.api.listTasksByJob(jobId, 1, 10)
  return tasks.Total <= tasks.Tasks.length && tasks.Tasks.every((t) => t.TaskStatus === 'CANCELED')
}

/** Cancels a marker before its time; a cancel refused as already done (after a lost answer) is as good. */
async function cancelMarker(jobId: string, deps: PlanDeps): Promise<void> {
  await unlessEnded(deps.api.cancelTasksByJob(jobId, { CancelScheduledTask: true }))
}

/** Creates the marker and cancels it before its time; fails naming the job if the platform does not confirm the cancel. */
export async function writeMarker(ctx: PlanContext, marker: Marker, deps: PlanDeps): Promise<{ jobId: string; at: string }> {
  const now = deps.clock.now()
  const at = new Date(now)
  const params = {
    ...ctx.job,
    TargetSelection: 'SPECIFIC' as const,
    TargetDeviceName: [marker.device],
    ScheduleTime: now + MARKER_LEAD_MS,
    Tag: markerTags(ctx.plan, marker.kind, marker.stage, marker.gen, at, marker.reason)
  }
  const isThis = (p: PlanJob) => p.kind === marker.kind && p.stage === marker.stage && p.gen === marker.gen && p.at === at.toISOString()
  const { JobId } = await deps.api.createStaticUpgradeJob(params, planJobLookup(ctx, isThis, deps))
  await cancelMarker(JobId, deps)
  if (!(await markerStopped(JobId, deps))) {
    throw new ActionError(
      `The plan's ${marker.kind} marker, job ${JobId}, is not cancelled: it is scheduled for ${new Date(params.ScheduleTime).toISOString()}.`,
      {
        hint: `Re-run: every run cancels a marker left scheduled. Or cancel job ${JobId} in the IoT Platform console before then (it names device ${marker.device}).`
      }
    )
  }
  return { jobId: JobId, at: at.toISOString() }
}

/** Markers a run left scheduled (it stopped between create and cancel): cancelled now, long before they are due. */
export async function cancelOpenMarkers(markers: readonly PlanJob[], deps: PlanDeps): Promise<void> {
  for (const marker of markers) {
    await cancelMarker(marker.jobId, deps)
    deps.log.warning(`Cancelled the plan's ${marker.kind} marker, job ${marker.jobId}, which an earlier run left scheduled.`)
  }
}
