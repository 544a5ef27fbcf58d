/**
 * Reading a plan back from the platform: its tagged jobs (one list of the package's jobs), and the
 * task counts of a stage's jobs. Following a stage costs a few calls a job, whatever the fleet.
 */
import { countTasks, readTasks, zeroCounts, type StatusCounts } from '../../jobs/tasks.js'
import { isBusyElsewhere, TASK_STATUSES } from '../../platform/job-rules.js'
import type { CreatedJob, OtaTask } from '../../platform/models.js'
import type { PlanContext, PlanDeps } from './context.js'
import { judgeStage, type StageProgress, type StageVerdict } from './gates.js'
import { planState, type PlanState, type StageRecord } from './state.js'
import { readPlanJob, type PlanJob } from './tags.js'

/** At most this many pages of a job's FAILED tasks are read (busy devices, the names of failures). */
const FAILED_PAGES = 10

/** The plan as the platform records it now. */
export async function readPlan(ctx: PlanContext, deps: Pick<PlanDeps, 'api'>): Promise<PlanState> {
  const jobs = await deps.api.listJobsByFirmware(ctx.firmwareId)
  const mine = jobs.flatMap((job) => readPlanJob(job, ctx.plan) ?? [])
  return planState(ctx.settings.shares, mine)
}

/** The lookup of a create whose answer was lost: the plan's job that `matches`, as the platform lists it now. */
export function planJobLookup(ctx: PlanContext, matches: (job: PlanJob) => boolean, deps: Pick<PlanDeps, 'api'>): () => Promise<CreatedJob | undefined> {
  return async () => {
    const found = (await readPlan(ctx, deps)).jobs.find(matches)
    return found && { JobId: found.jobId, UtcCreate: found.utcCreate }
  }
}

function add(into: Record<string, number>, counts: StatusCounts): void {
  for (const status of TASK_STATUSES) into[status] = (into[status] ?? 0) + counts[status]
}

/** The FAILED tasks of the jobs (a bounded number of pages each). */
export async function failedTasks(jobs: readonly PlanJob[], deps: Pick<PlanDeps, 'api'>): Promise<OtaTask[]> {
  const all: OtaTask[] = []
  for (const job of jobs) all.push(...(await readTasks(deps, job.jobId, 'FAILED', FAILED_PAGES)))
  return all
}

const ENDED: readonly string[] = ['COMPLETED', 'CANCELED']

/** Whether every job has ended (COMPLETED, or CANCELED outside the plan); one the plan's list showed unfinished is asked again. */
async function allCompleted(jobs: readonly PlanJob[], deps: Pick<PlanDeps, 'api'>): Promise<boolean> {
  for (const job of jobs) if (!ENDED.includes(job.jobStatus) && !ENDED.includes((await deps.api.queryJob(job.jobId)).JobStatus)) return false
  return true
}

/** A stage now: its newest generation's counts, earlier generations' successes, and (when it matters) its busy devices. */
export async function stageProgress(
  record: StageRecord,
  ctx: PlanContext,
  deps: Pick<PlanDeps, 'api'>
): Promise<{ progress: StageProgress; verdict: StageVerdict; failed?: OtaTask[] }> {
  const counts = zeroCounts()
  let total = 0
  for (const job of record.jobs) {
    const counted = await countTasks(deps, job.jobId)
    add(counts, counted.counts)
    total += counted.total
  }
  let earlierSucceeded = 0
  for (const job of record.earlier) earlierSucceeded += (await deps.api.listTasksByJob(job.jobId, 1, 1, 'SUCCEEDED')).Total
  const final = counts.CONFIRM + counts.QUEUED + counts.NOTIFIED + counts.IN_PROGRESS === 0
  const completed = final && record.jobs.length === record.parts && (await allCompleted(record.jobs, deps))
  const progress = { counts, total, earlierSucceeded, busy: 0, devices: record.devices, completed }
  const raw = judgeStage(progress, ctx.gates)
  if (counts.FAILED === 0 || !raw.overBudget) return { progress, verdict: raw }
  // Over budget on the raw count: tell the devices busy in another batch apart, which never count.
  const failed = await failedTasks(record.jobs, deps)
  const busy = failed.filter((t) => isBusyElsewhere(t.TaskDesc)).length
  const settled = { ...progress, busy }
  return { progress: settled, verdict: judgeStage(settled, ctx.gates), failed: failed.filter((t) => !isBusyElsewhere(t.TaskDesc)) }
}

/** FAILED devices of every stage's newest generation (one call a job); busy devices are told apart only when the cap is near. */
export async function planFailures(state: PlanState, ctx: PlanContext, deps: Pick<PlanDeps, 'api'>): Promise<number> {
  if (ctx.maxFailedDevices === undefined) return 0
  const jobs = state.stages.flatMap((s) => s.jobs)
  let failed = 0
  for (const job of jobs) failed += (await deps.api.listTasksByJob(job.jobId, 1, 1, 'FAILED')).Total
  if (failed <= ctx.maxFailedDevices) return failed
  const busy = (await failedTasks(jobs, deps)).filter((t) => isBusyElsewhere(t.TaskDesc)).length
  return failed - busy
}
