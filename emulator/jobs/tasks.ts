import { DEFAULT_DEVICE_VERSION, type Device } from '../devices/fleet.js'
import { isFinal, stateAt, UNFINISHED_STATUSES, type TaskState, type Timeline } from './timeline.js'

/** One device's task in one job. Its state is computed from `timeline` and the instant, never stored. */
export interface Task {
  id: string
  jobId: string
  device: Device
  moduleName: string
  firmwareId: string
  destVersion: string
  /** The device's version when the task was created. */
  srcVersion: string
  createdAt: number
  timeline: Timeline
  /** Failed on creation (the device was busy in another batch), with this TaskDesc. */
  rejected?: string
  /** Cancelled at this instant unless it had finished by then. */
  cancel?: { at: number; desc: string }
  /** The final state once reached: it never changes again, so it is computed once. */
  final?: TaskState
}

/** Every task of every job, indexed by device for the one-batch rule and the devices' versions. */
export class TaskBook {
  /** How many states were computed from a timeline (the work a read does; the memo keeps it flat). */
  evaluations = 0
  private readonly byDevice = new Map<string, Task[]>()

  add(task: Task): void {
    const list = this.byDevice.get(task.device.key)
    if (list) list.push(task)
    else this.byDevice.set(task.device.key, [task])
  }

  state(task: Task, now: number): TaskState {
    if (task.rejected !== undefined) return { status: 'FAILED', progress: 0, desc: task.rejected, changedAt: task.createdAt }
    if (task.final && now >= task.final.changedAt) return task.final
    this.evaluations++
    const cancelAt = task.cancel?.at ?? Infinity
    let state = stateAt(task.timeline, Math.min(now, cancelAt))
    if (now >= cancelAt && !isFinal(state.status)) state = { ...state, status: 'CANCELED', desc: task.cancel?.desc ?? '', changedAt: cancelAt }
    if (isFinal(state.status)) task.final = state
    return state
  }

  /** The device's task that is pending or upgrading at `at`, if any. */
  unfinished(device: Device, at: number): Task | undefined {
    return this.byDevice.get(device.key)?.find((t) => t.createdAt <= at && UNFINISHED_STATUSES.has(this.state(t, at).status))
  }

  /** Cancels the task at `at` if it has not finished by then; true when it did. */
  cancel(task: Task, at: number, desc: string): boolean {
    if (isFinal(this.state(task, at).status)) return false
    if (!task.cancel || task.cancel.at > at) task.cancel = { at, desc }
    task.final = undefined
    return true
  }

  /** What the device runs on a module at `at`: the DestVersion of its latest success there, else its configured version. */
  versionAt(device: Device, moduleName: string, at: number): string {
    let version = device.versions[moduleName] ?? DEFAULT_DEVICE_VERSION
    let latest = -Infinity
    for (const task of this.byDevice.get(device.key) ?? []) {
      if (task.moduleName !== moduleName || task.createdAt > at) continue
      const state = this.state(task, at)
      if (state.status === 'SUCCEEDED' && state.changedAt > latest) {
        latest = state.changedAt
        version = task.destVersion
      }
    }
    return version
  }

  clear(): void {
    this.byDevice.clear()
  }
}
