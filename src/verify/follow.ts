import type { OtaTask } from '../platform/models.js'
import { readFirmwareState, type FirmwareState } from '../jobs/package-state.js'
import type { JobDeps } from '../jobs/deps.js'
import { pollUntil } from '../jobs/poll.js'
import { isFinalTask, UNREPORTED_TASK_STATUSES } from '../platform/job-rules.js'
import { readTasks } from '../jobs/tasks.js'

/** A device with no task in the job (yet): it is neither final nor reporting. */
export const NO_TASK = 'NO_TASK'

/** What one device of the verify job reported last. */
export interface DeviceState {
  readonly name: string
  readonly status: string
  /** The last reported step, 0–100. */
  readonly progress: number
  /** TaskDesc: why it failed, when it did. */
  readonly message?: string
  readonly srcVersion?: string
  readonly destVersion?: string
}

/** The devices asked for, in their order, then any other device of the job, from its tasks. */
export function deviceStates(targets: readonly string[], tasks: readonly OtaTask[]): DeviceState[] {
  const byName = new Map(tasks.map((t) => [t.DeviceName, t]))
  const names = [...targets, ...tasks.map((t) => t.DeviceName).filter((n) => !targets.includes(n))]
  return names.map((name) => {
    const task = byName.get(name)
    if (task === undefined) return { name, status: NO_TASK, progress: 0 }
    return { name, status: task.TaskStatus, progress: task.Progress, message: task.TaskDesc, srcVersion: task.SrcVersion, destVersion: task.DestVersion }
  })
}

/** One log line for a device: `dev-0001: IN_PROGRESS 40% (downloading)`. */
export function describeDevice(device: DeviceState): string {
  return `${device.name}: ${device.status} ${device.progress}%${device.message ? ` (${device.message})` : ''}`
}

/** The devices whose status, progress or message differs from `seen` (which is updated). */
export function changedDevices(seen: Map<string, string>, devices: readonly DeviceState[]): DeviceState[] {
  return devices.filter((device) => {
    const key = describeDevice(device)
    if (seen.get(device.name) === key) return false
    seen.set(device.name, key)
    return true
  })
}

/** Devices that never reported progress: offline ones stay QUEUED for ever. */
export function neverReported(devices: readonly DeviceState[]): string[] {
  return devices.filter((d) => d.status === NO_TASK || UNREPORTED_TASK_STATUSES.includes(d.status as never)).map((d) => d.name)
}

interface FollowedVerify {
  readonly devices: readonly DeviceState[]
  readonly firmware: FirmwareState
  /** `wait-minutes` ran out before every device had finished. */
  readonly timedOut: boolean
}

/**
 * Follows a verify job until every device is final or `deadline` (epoch ms) passes, logging a
 * line per device whenever what it reports changes, never a line per poll.
 */
export async function followVerify(jobId: string, firmwareId: string, targets: readonly string[], deadline: number, deps: JobDeps): Promise<FollowedVerify> {
  const seen = new Map<string, string>()
  const end = await pollUntil(
    async () => {
      const tasks = await readTasks(deps, jobId)
      const firmware = await readFirmwareState(firmwareId, deps)
      const devices = deviceStates(targets, tasks)
      for (const device of changedDevices(seen, devices)) deps.log.info(describeDevice(device))
      const done = devices.length > 0 && devices.every((d) => isFinalTask(d.status))
      return { done, value: { devices, firmware } }
    },
    deadline,
    deps.clock,
    deps.pacing
  )
  return { ...end.value, timedOut: end.timedOut }
}
