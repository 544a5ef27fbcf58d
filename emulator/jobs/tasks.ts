import { DEFAULT_DEVICE_VERSION, type Device } from '../devices/fleet.js'
import { isFinal, stateAt, UNFINISHED_STATUSES, type TaskState, type Timeline } from './timeline.js'

/**
 * What a task's state is computed from. Tasks whose course is the same share one object, so one
 * computation serves them all (a job of 100,000 devices has a few dozen courses). A course never
 * changes once made: a cancel, a confirmation or a new push gives the task another course.
 */
export interface Course {
  readonly timeline: Timeline
  /** Cancelled at this instant unless it had finished by then. */
  readonly cancel?: { readonly at: number; readonly desc: string }
  /** Failed on creation (the device was busy in another batch), with this TaskDesc, at `timeline.createdAt`. */
  readonly rejected?: string
  /** Memo: the final state once reached (it never changes again). */
  final?: TaskState
  /** Memo: the state last computed, and for which instant. */
  last?: { at: number; state: TaskState }
}

/** What a task needs of its job's package. */
interface TaskPackage {
  FirmwareId: string
  ModuleName: string
  DestVersion: string
}

/**
 * One device's task in one job. Its state is computed from its course and the instant, never
 * stored. A class, so that a job of 100,000 tasks holds small objects: what the job decides (the
 * package, the TaskId's digits) is read through it, not copied into each task.
 */
export class Task {
  constructor(
    readonly jobId: string,
    /** Its position in the job, in creation order. */
    readonly seq: number,
    readonly device: Device,
    readonly firmware: TaskPackage,
    /** The device's version when the task was created. */
    readonly srcVersion: string,
    readonly createdAt: number,
    public course: Course
  ) {}

  /** 26 characters, like the platform's ids: `EmuTask`, the job's number (6 digits), the position (7), `010001`. */
  get id(): string {
    return `EmuTask${this.jobId.slice(14, 20)}${String(this.seq).padStart(7, '0')}010001`
  }

  get firmwareId(): string {
    return this.firmware.FirmwareId
  }

  get moduleName(): string {
    return this.firmware.ModuleName
  }

  get destVersion(): string {
    return this.firmware.DestVersion
  }
}

/** The course a cancel at `at` leaves: the earlier of the two cancels wins. */
export function cancelledCourse(course: Course, at: number, desc: string): Course {
  const cancel = course.cancel && course.cancel.at <= at ? course.cancel : { at, desc }
  return { timeline: course.timeline, cancel, rejected: course.rejected }
}

const NO_TASKS: readonly Task[] = []

/** Every task of every job, indexed by device for the one-batch rule and the devices' versions. */
export class TaskBook {
  /** How many states were computed from a timeline (the work a read does; the memos keep it flat). */
  evaluations = 0
  private readonly byDevice = new Map<Device, Task[]>()

  add(task: Task): void {
    const list = this.byDevice.get(task.device)
    if (list) list.push(task)
    else this.byDevice.set(task.device, [task])
  }

  /** A device's tasks, oldest first. */
  tasksOf(device: Device): readonly Task[] {
    return this.byDevice.get(device) ?? NO_TASKS
  }

  state(task: Task, now: number): TaskState {
    return this.courseState(task.course, now)
  }

  courseState(course: Course, now: number): TaskState {
    const { timeline } = course
    if (course.rejected !== undefined) return { status: 'FAILED', progress: 0, desc: course.rejected, changedAt: timeline.createdAt }
    if (course.final && now >= course.final.changedAt) return course.final
    if (course.last?.at === now) return course.last.state
    this.evaluations++
    const cancelAt = course.cancel?.at ?? Infinity
    let state = stateAt(timeline, Math.min(now, cancelAt))
    if (now >= cancelAt && !isFinal(state.status)) state = { ...state, status: 'CANCELED', desc: course.cancel?.desc ?? '', changedAt: cancelAt }
    if (isFinal(state.status)) course.final = state
    course.last = { at: now, state }
    return state
  }

  /** The device's task that is pending or upgrading at `at`, if any. */
  unfinished(device: Device, at: number): Task | undefined {
    return this.tasksOf(device).find((t) => t.createdAt <= at && UNFINISHED_STATUSES.has(this.state(t, at).status))
  }

  /**
   * What the device runs on a module at `at`: the DestVersion of its latest success there, else its
   * configured version. A `rollback` device reports the version it upgraded from again
   * `afterUpgradeMinutes` after the success, whose task stays SUCCEEDED.
   */
  versionAt(device: Device, moduleName: string, at: number): string {
    let version = device.versions[moduleName] ?? DEFAULT_DEVICE_VERSION
    let latest = -Infinity
    for (const task of this.tasksOf(device)) {
      if (task.moduleName !== moduleName || task.createdAt > at) continue
      const state = this.state(task, at)
      if (state.status === 'SUCCEEDED' && state.changedAt > latest) {
        latest = state.changedAt
        const rolledBack = device.behaviour === 'rollback' && at >= state.changedAt + device.afterUpgradeMinutes * task.course.timeline.minuteMs
        version = rolledBack ? task.srcVersion : task.destVersion
      }
    }
    return version
  }

  /** When the device's first upgrade that had succeeded by `at` succeeded, on any module. */
  firstSuccessAt(device: Device, at: number): number | undefined {
    let first: number | undefined
    for (const task of this.tasksOf(device)) {
      if (task.createdAt > at) continue
      const state = this.state(task, at)
      if (state.status === 'SUCCEEDED' && (first === undefined || state.changedAt < first)) first = state.changedAt
    }
    return first
  }

  clear(): void {
    this.byDevice.clear()
  }
}
