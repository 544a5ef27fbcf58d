import type { Device } from '../devices/fleet.js'
import { jobErrors } from './errors.js'
import type { Job, JobModel } from './jobs.js'
import { cancelledCourse, type Course, type Task } from './tasks.js'
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
function cancelledStatuses(flags: CancelFlags): ReadonlySet<TaskStatus> {
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
  // A dynamic job whose strategy was cancelled keeps its running tasks: they are cancelled by device.
  if (status === 'CANCELED') throw jobErrors.jobCanceled()
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

/** CancelOTATaskByDevice cancels tasks to be pushed, pushed or upgrading only (not CONFIRM). */
const BY_DEVICE: ReadonlySet<TaskStatus> = new Set(['QUEUED', 'NOTIFIED', 'IN_PROGRESS'])

/**
 * CancelOTATaskByDevice: the devices' tasks of one package (of one job when `job` is given, a
 * CANCELED dynamic job's too) that are QUEUED, NOTIFIED or IN_PROGRESS are CANCELED; a device with
 * none is left alone.
 */
export function cancelTasksByDevice(model: JobModel, firmwareId: string, devices: readonly Device[], job: Job | undefined, now: number): void {
  const next = new Map<Course, Course>()
  for (const device of devices) {
    for (const task of model.book.tasksOf(device)) {
      if (task.firmwareId !== firmwareId || (job !== undefined && task.jobId !== job.id)) continue
      if (!BY_DEVICE.has(model.book.state(task, now).status)) continue
      let course = next.get(task.course)
      if (!course) {
        course = cancelledCourse(task.course, now, 'canceled by CancelOTATaskByDevice')
        next.set(task.course, course)
      }
      model.moveTask(task, course)
      model.job(task.jobId).modifiedAt = now
    }
  }
}

/** The tasks the ids name, all of them or the call is refused. */
function tasksNamed(model: JobModel, taskIds: readonly string[]): Task[] {
  return taskIds.map((taskId) => {
    const task = model.task(taskId)
    if (!task) throw jobErrors.invalidTaskId(taskId)
    return task
  })
}

/**
 * ConfirmOTATask: CONFIRM tasks of NeedConfirm jobs are released and play on as pushed, from their
 * pacing slot or now, whichever is later, once the device is online. All or nothing: a task that is
 * not in CONFIRM refuses the call, as does a scheduled job before its ScheduleTime (confirmations
 * work only inside the scheduled window).
 */
export function confirmTasks(model: JobModel, taskIds: readonly string[], now: number): void {
  const tasks = tasksNamed(model, taskIds)
  for (const task of tasks) {
    const job = model.job(task.jobId)
    if (model.jobStatus(job, now).status === 'PLANNED') throw jobErrors.illegal(`The task ${task.id} is of a scheduled job that has not started yet.`)
    if (model.book.state(task, now).status !== 'CONFIRM') throw jobErrors.invalidTaskExist(task.id, 'is not waiting for confirmation (CONFIRM)')
  }
  for (const task of tasks) {
    const job = model.job(task.jobId)
    const pushAt = model.nextPush(task.device, Math.max(task.course.timeline.pushAt, now))
    model.moveTask(task, { timeline: { ...model.timeline(job, task.device, now, pushAt), needConfirm: false }, cancel: task.course.cancel })
    job.modifiedAt = now
  }
}

/** Why ReupgradeOTATask refuses a job outright, if it does. */
function checkReupgradable(model: JobModel, job: Job, now: number): void {
  if (job.kind === 'verify') throw jobErrors.illegal('ReupgradeOTATask takes the JobId of a static or dynamic upgrade job.')
  if (model.jobStatus(job, now).status === 'CANCELED') throw jobErrors.reupgradeCanceled()
  if (job.finish !== undefined && job.finish.at <= now) throw jobErrors.illegal('The job has passed its ScheduleFinishTime.')
}

/**
 * ReupgradeOTATask: FAILED tasks of a static or dynamic job are queued again and pushed once the
 * device is online; the device plays its behaviour again from that push. All or nothing: a task of
 * another job, one not FAILED, or a device pending or upgrading in another job refuses the call.
 */
export function reupgradeTasks(model: JobModel, job: Job, taskIds: readonly string[], now: number): void {
  checkReupgradable(model, job, now)
  const tasks = tasksNamed(model, taskIds)
  const other = tasks.find((t) => t.jobId !== job.id)
  if (other) throw jobErrors.unmatchedJob(other.id)
  const notFailed = tasks.filter((t) => model.book.state(t, now).status !== 'FAILED')
  if (notFailed.length === tasks.length) throw jobErrors.failedTaskNotFound()
  if (notFailed[0]) throw jobErrors.invalidTaskExist(notFailed[0].id, 'has not FAILED')
  for (const task of tasks) {
    const busy = model.book.unfinished(task.device, now)
    if (busy) throw jobErrors.deviceNotReUpgraded(task.device.name, busy.jobId)
  }
  for (const task of tasks) {
    const timeline = model.timeline(job, task.device, now, model.nextPush(task.device, now))
    model.moveTask(task, { timeline: { ...timeline, needConfirm: false }, cancel: job.finish })
  }
  job.modifiedAt = now
}
