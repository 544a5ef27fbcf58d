import { jobErrors } from './errors.js'
import type { Job, JobModel } from './jobs.js'
import { cancelledCourse, type Course } from './tasks.js'
import { isFinal, type TaskStatus } from './timeline.js'

/** CancelOTATaskByJob's flags; `unconfirmed` is tri-state as documented. */
export interface CancelFlags {
  queued: boolean
  notified: boolean
  inProgress: boolean
  scheduled: boolean
  unconfirmed?: boolean
}

/** The statuses the flags cancel: CancelQueuedTask takes CONFIRM too unless CancelUnconfirmedTask is given at all. */
export function cancelledStatuses(flags: CancelFlags): ReadonlySet<TaskStatus> {
  const statuses = new Set<TaskStatus>()
  if (flags.queued) statuses.add('QUEUED')
  if (flags.unconfirmed ?? flags.queued) statuses.add('CONFIRM')
  if (flags.notified) statuses.add('NOTIFIED')
  if (flags.inProgress) statuses.add('IN_PROGRESS')
  return statuses
}

/**
 * CancelOTATaskByJob: the job's tasks in the flagged statuses are CANCELED. Every task of a course
 * has the same state, so whole courses are cancelled: one new course each.
 */
export function cancelTasksByJob(model: JobModel, job: Job, flags: CancelFlags, now: number): void {
  const { status } = model.jobStatus(job, now)
  if (status === 'COMPLETED') throw jobErrors.jobFinished()
  const statuses = cancelledStatuses(flags)
  const wholeBatch = flags.scheduled && status === 'PLANNED'
  if (wholeBatch) job.canceledAt = now
  const next = new Map<Course, Course>()
  for (const [course] of job.tasks.courses()) {
    const state = model.book.courseState(course, now)
    if (isFinal(state.status) || !(wholeBatch || statuses.has(state.status))) continue
    next.set(course, cancelledCourse(course, now, 'canceled by CancelOTATaskByJob'))
  }
  if (next.size > 0) {
    for (const task of job.tasks.list) {
      const course = next.get(task.course)
      if (course) job.tasks.move(task, course)
    }
  }
  job.modifiedAt = now
}

/** CancelOTAStrategyByJob: a dynamic job stops taking in devices and turns CANCELED; its tasks go on. */
export function cancelStrategy(job: Job, now: number): void {
  if (job.kind !== 'dynamic') throw jobErrors.notDynamic()
  if (job.canceledAt !== undefined) throw jobErrors.jobCanceled()
  job.canceledAt = now
  job.modifiedAt = now
}
