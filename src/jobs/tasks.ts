import type { OtaTask } from '../platform/models.js'
import type { JobDeps } from './deps.js'
import { TASK_PAGE_SIZE_MAX, TASK_ROWS_REACHABLE, TASK_STATUSES, type TaskStatus } from '../platform/job-rules.js'

export type StatusCounts = Readonly<Record<TaskStatus, number>>

export function zeroCounts(): Record<TaskStatus, number> {
  return Object.fromEntries(TASK_STATUSES.map((s) => [s, 0])) as Record<TaskStatus, number>
}

function countStatuses(tasks: readonly OtaTask[]): StatusCounts {
  const counts = zeroCounts()
  for (const task of tasks) if (task.TaskStatus in counts) counts[task.TaskStatus as TaskStatus]++
  return counts
}

/**
 * The tasks of a job, optionally of one status, page by page up to `maxPages` (and never past the
 * 100,000 rows the API can reach).
 */
export async function readTasks(deps: Pick<JobDeps, 'api'>, jobId: string, status?: TaskStatus, maxPages = Infinity): Promise<OtaTask[]> {
  const tasks: OtaTask[] = []
  const lastPage = Math.min(maxPages, TASK_ROWS_REACHABLE / TASK_PAGE_SIZE_MAX)
  for (let page = 1; page <= lastPage; page++) {
    const got = await deps.api.listTasksByJob(jobId, page, TASK_PAGE_SIZE_MAX, status)
    tasks.push(...got.Tasks)
    if (got.Tasks.length === 0 || page >= got.PageCount) break
  }
  return tasks
}

export interface TaskCounts {
  readonly counts: StatusCounts
  readonly total: number
  /** Every task, when one page held them all (then nothing else was read). */
  readonly tasks?: readonly OtaTask[]
}

/**
 * Counts per status with as few calls as the size allows: every page when there are fewer pages
 * than statuses (then the tasks themselves are at hand), otherwise the Total of a one-row page per
 * status, so 100,000 devices cost 8 calls, not 1,000.
 */
export async function countTasks(deps: Pick<JobDeps, 'api'>, jobId: string): Promise<TaskCounts> {
  const first = await deps.api.listTasksByJob(jobId, 1, TASK_PAGE_SIZE_MAX)
  if (first.Total <= first.Tasks.length) return { counts: countStatuses(first.Tasks), total: first.Total, tasks: first.Tasks }
  if (first.PageCount <= TASK_STATUSES.length) {
    const tasks = [...first.Tasks]
    for (let page = 2; page <= first.PageCount; page++) tasks.push(...(await deps.api.listTasksByJob(jobId, page, TASK_PAGE_SIZE_MAX)).Tasks)
    // Rows can move between pages while they are read (a task changes status): trust the pages only when they add up.
    if (tasks.length === first.Total) return { counts: countStatuses(tasks), total: first.Total, tasks }
  }
  const counts = zeroCounts()
  for (const status of TASK_STATUSES) {
    counts[status] = (await deps.api.listTasksByJob(jobId, 1, 1, status)).Total
  }
  return { counts, total: first.Total }
}
