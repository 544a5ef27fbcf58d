import type { OtaTask } from '../platform/models.js'
import type { JobDeps } from '../jobs/deps.js'
import { pollUntil } from '../jobs/poll.js'
import { isBusyElsewhere, UNFINISHED_JOB_STATUSES } from '../platform/job-rules.js'
import { countTasks, readTasks, type StatusCounts, type TaskCounts } from '../jobs/tasks.js'
import { haltJob, type HaltTarget } from '../jobs/halt.js'
import { checkBudget, type Budget, type BudgetCheck } from './budget.js'
import { createProgressGate, finishedOf, progressLine } from './progress.js'

/** At most this many pages of FAILED tasks are read, to tell busy devices apart and list the failures. */
const FAILED_PAGES_READ = 10

interface FollowPlan extends HaltTarget {
  readonly budget?: Budget
  /** Epoch ms: `wait-minutes` after the start. */
  readonly deadline: number
}

interface RolloutProgress {
  readonly jobStatus: string
  readonly counts: StatusCounts
  readonly total: number
}

interface FollowedRollout extends RolloutProgress {
  readonly ended: 'completed' | 'halted' | 'following-ended'
  readonly budget?: BudgetCheck
  /** FAILED tasks read (at most FAILED_PAGES_READ pages), the busy-elsewhere ones left out. */
  readonly failedTasks: readonly OtaTask[]
  /** What the halt cancelled, in words: only what the platform confirmed. */
  readonly cancelled: readonly string[]
  /** Tasks a halt could not stop (the first page of each status), and how many. */
  readonly stillRunning: readonly OtaTask[]
  readonly stillRunningCount: number
}

type Deps = Pick<JobDeps, 'api'>

async function failedTasksOf(deps: Deps, jobId: string, counted: TaskCounts): Promise<OtaTask[]> {
  if (counted.counts.FAILED === 0) return []
  return counted.tasks ? counted.tasks.filter((t) => t.TaskStatus === 'FAILED') : readTasks(deps, jobId, 'FAILED', FAILED_PAGES_READ)
}

/** Judges the budget; the FAILED tasks are read only when the raw count would exceed it. */
async function judge(deps: Deps, jobId: string, counted: TaskCounts, budget: Budget): Promise<{ check: BudgetCheck; failed?: OtaTask[] }> {
  const raw = checkBudget(counted.counts, counted.total, 0, budget)
  if (!raw.exceeded) return { check: raw }
  const failed = await failedTasksOf(deps, jobId, counted)
  const busy = failed.filter((t) => isBusyElsewhere(t.TaskDesc)).length
  return { check: busy === 0 ? raw : checkBudget(counted.counts, counted.total, busy, budget), failed }
}

function isComplete(plan: FollowPlan, jobStatus: string, counted: TaskCounts): boolean {
  if (jobStatus !== '' && !UNFINISHED_JOB_STATUSES.includes(jobStatus)) return true
  // A static job is done when no task is left to finish; a dynamic one waits for devices to come.
  return !plan.dynamic && counted.total > 0 && finishedOf(counted.counts) === counted.total
}

/**
 * The job's status once its tasks are all done: QueryOTAJob ran before the tasks were counted, so
 * a job whose last devices finished in between still said IN_PROGRESS; ask once more.
 */
async function settledStatus(deps: Deps, jobId: string, polled: string): Promise<string> {
  if (!UNFINISHED_JOB_STATUSES.includes(polled)) return polled
  return (await deps.api.queryJob(jobId)).JobStatus
}

interface Poll {
  readonly progress: RolloutProgress
  readonly counted: TaskCounts
  readonly check?: BudgetCheck
  readonly failed?: OtaTask[]
  readonly halt: boolean
}

/**
 * Follows a batch job until it completes, its failure budget is exceeded (then it is halted), or
 * the deadline passes. Progress is logged as counts per status about every tenth of the devices.
 */
export async function followRollout(plan: FollowPlan, deps: JobDeps): Promise<FollowedRollout> {
  const report = createProgressGate()
  const end = await pollUntil<Poll>(
    async () => {
      const job = await deps.api.queryJob(plan.jobId)
      const counted = await countTasks(deps, plan.jobId)
      const progress = { jobStatus: job.JobStatus, counts: counted.counts, total: counted.total }
      if (report(finishedOf(counted.counts), counted.total, deps.clock.now()))
        deps.log.info(progressLine(plan.jobId, job.JobStatus, counted.counts, counted.total))
      const judged = plan.budget ? await judge(deps, plan.jobId, counted, plan.budget) : undefined
      const over = judged?.check.exceeded === true
      return { done: over || isComplete(plan, job.JobStatus, counted), value: { progress, counted, check: judged?.check, failed: judged?.failed, halt: over } }
    },
    plan.deadline,
    deps.clock,
    deps.pacing
  )
  const last = end.value
  if (!last.halt) {
    const failedTasks = (await failedTasksOf(deps, plan.jobId, last.counted)).filter((t) => !isBusyElsewhere(t.TaskDesc))
    const jobStatus = end.timedOut ? last.progress.jobStatus : await settledStatus(deps, plan.jobId, last.progress.jobStatus)
    deps.log.info(progressLine(plan.jobId, jobStatus, last.progress.counts, last.progress.total))
    const ended = end.timedOut ? 'following-ended' : 'completed'
    return { ...last.progress, jobStatus, ended, budget: last.check, failedTasks, cancelled: [], stillRunning: [], stillRunningCount: 0 }
  }
  const finishedAlready = isComplete(plan, last.progress.jobStatus, last.counted)
  const halted = finishedAlready ? { stopped: [], stillRunning: [], stillRunningCount: 0 } : await haltJob(plan, deps)
  const after = finishedAlready ? last.counted : await countTasks(deps, plan.jobId)
  // Devices may fail between the judgement and the cancel: the step names those the counts hold.
  const failed = finishedAlready && last.failed ? last.failed : await failedTasksOf(deps, plan.jobId, after)
  return {
    jobStatus: finishedAlready ? last.progress.jobStatus : await settledStatus(deps, plan.jobId, last.progress.jobStatus),
    counts: after.counts,
    total: after.total,
    ended: 'halted',
    budget: last.check,
    failedTasks: failed.filter((t) => !isBusyElsewhere(t.TaskDesc)),
    cancelled: halted.stopped,
    stillRunning: halted.stillRunning,
    stillRunningCount: halted.stillRunningCount
  }
}
