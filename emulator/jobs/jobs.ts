import { JobClock } from './clock.js'
import { jobErrors } from './errors.js'
import { checkChurn, type ChurnOptions } from '../devices/churn.js'
import { Fleet, type Device, type DeviceSpec } from '../devices/fleet.js'
import { Presence, type DevicePresence } from '../devices/presence.js'
import { JobTasks } from './job-tasks.js'
import type { BatchSettings, CommonSettings, Schedule, TargetSelection } from './rules.js'
import { selectTargets, upgradable, type FirmwareView, type TargetRule } from './targets.js'
import { listTasks, type TaskPage, type TaskQuery } from './task-list.js'
import { cancelledCourse, Task, TaskBook, type Course } from './tasks.js'
import { FAILURE_DESCS, UNFINISHED_STATUSES } from './timeline.js'

export type JobStatus = 'PLANNED' | 'IN_PROGRESS' | 'COMPLETED' | 'CANCELED'
type JobKind = 'verify' | 'static' | 'dynamic'

export interface Job {
  id: string
  kind: JobKind
  firmware: FirmwareView
  productKey: string
  createdAt: number
  /** When tasks may be pushed: creation, or ScheduleTime played on the scaled clock. */
  startAt: number
  common: CommonSettings
  batch?: BatchSettings
  targetSelection: TargetSelection
  grayPercent?: string
  srcVersions: readonly string[]
  groupId?: string
  groupType?: string
  dynamicMode?: 1 | 2
  schedule: Schedule
  tasks: JobTasks
  /** ScheduleFinishTime on the scaled clock: every task unfinished then is cancelled. */
  finish?: { at: number; desc: string }
  /** CancelOTAStrategyByJob, or a scheduled batch cancelled before it started. */
  canceledAt?: number
  modifiedAt: number
  /** Dynamic jobs: how many of the product's late devices have been looked at. */
  pickedUp: number
}

export interface StaticTarget extends Omit<TargetRule, 'named'> {
  /** TargetDeviceName.N. */
  names?: readonly string[]
  /** The DeviceNames of a DnListFileUrl file. */
  listed?: readonly string[]
  grayPercent?: string
  groupType?: string
}

interface DynamicScope {
  srcVersions: readonly string[]
  groupId?: string
  groupType?: string
  dynamicMode: 1 | 2
}

/** A TaskId names its job's number (the last 6 of the JobId's 14 digits) and its position there (Task.id). */
const TASK_ID = /^EmuTask(\d{6})(\d{7})010001$/

/**
 * OTA jobs over a simulated fleet. Pure: every method takes the instant; task states are derived
 * from the clock on read. Call `advance(now)` before any read or write so dynamic jobs take in the
 * devices that came online meanwhile.
 */
export class JobModel {
  readonly fleet: Fleet
  readonly clock: JobClock
  readonly book = new TaskBook()
  readonly presence: Presence
  private readonly jobs = new Map<string, Job>()
  private readonly byFirmware = new Map<string, Job[]>()
  /** Jobs by number (JobIds and TaskIds carry it); numbers keep counting across resets, so no id comes back. */
  private readonly numbered = new Map<number, Job>()
  private jobCount = 0

  constructor(options: { devices: readonly DeviceSpec[]; minuteMs: number; origin: number; churn?: ChurnOptions }) {
    this.fleet = new Fleet(options.devices)
    this.clock = new JobClock(options.origin, options.minuteMs)
    this.presence = new Presence(this.clock, options.churn && checkChurn(options.churn))
  }

  job(jobId: string): Job {
    const job = this.jobs.get(jobId)
    if (!job) throw jobErrors.jobNotFound()
    return job
  }

  /** A task by its TaskId, if it exists: the id names its job's number and its position there. */
  task(taskId: string): Task | undefined {
    const match = TASK_ID.exec(taskId)
    const task = match ? this.numbered.get(Number(match[1]))?.tasks.at(Number(match[2])) : undefined
    return task?.id === taskId ? task : undefined
  }

  jobsOf(firmwareId: string): readonly Job[] {
    return this.byFirmware.get(firmwareId) ?? []
  }

  devicesByName(productKey: string, names: readonly string[]): Device[] {
    return names.map((name) => {
      const device = this.fleet.device(productKey, name)
      if (!device) throw jobErrors.deviceNotFound(name)
      return device
    })
  }

  /** The first instant from `from` on at which the device is online to take a push; Infinity for never. */
  nextPush(device: Device, from: number): number {
    return this.presence.nextOnline(device, from, this.upgradedAt(device, from))
  }

  /** Whether the device is online now, since when, and when it last came online. */
  presenceOf(device: Device, now: number): DevicePresence {
    return this.presence.presenceAt(device, now, this.upgradedAt(device, now))
  }

  /** A task's timeline in this job: created (or queued again) at `createdAt`, first pushed at `pushAt`. */
  timeline(job: Job, device: Device, createdAt: number, pushAt: number): Course['timeline'] {
    return {
      behaviour: device.behaviour,
      createdAt,
      pushAt,
      minuteMs: this.clock.minuteMs,
      timeoutMinutes: job.common.timeoutMinutes,
      retry: job.batch?.retry,
      needConfirm: job.common.needConfirm
    }
  }

  /** Gives a task another course, keeping its job's tally. */
  moveTask(task: Task, course: Course): void {
    this.job(task.jobId).tasks.move(task, course)
  }

  /** When an `offline-after-upgrade` device first upgraded (what takes it offline); other devices do not care. */
  private upgradedAt(device: Device, at: number): number | undefined {
    return device.behaviour === 'offline-after-upgrade' ? this.book.firstSuccessAt(device, at) : undefined
  }

  createVerifyJob(firmware: FirmwareView, productKey: string, names: readonly string[], common: CommonSettings, now: number): Job {
    const devices = this.devicesByName(productKey, names)
    const status = this.verification(firmware, now).Status
    if (status === -1) throw jobErrors.illegal('The package was created with NeedToVerify=false: it needs no verification.')
    if (status === 1 || status === 2)
      throw jobErrors.illegal('The package is being verified or has passed verification: no new verification task can be started.')
    const job = this.newJob('verify', firmware, productKey, common, now, { targetSelection: 'SPECIFIC' })
    devices.forEach((device) => this.addTask(job, device, now, now))
    return job
  }

  createStaticJob(
    firmware: FirmwareView,
    productKey: string,
    target: StaticTarget,
    common: CommonSettings,
    batch: BatchSettings,
    schedule: Schedule,
    now: number
  ): Job {
    this.checkVerified(firmware, now)
    const named = target.names && this.devicesByName(productKey, target.names)
    if (named && firmware.Type === 1) {
      const off = named.find((d) => this.book.versionAt(d, firmware.ModuleName, now) !== firmware.SrcVersion)
      if (off) throw jobErrors.illegal(`The device ${off.name} does not run the differential package's SrcVersion ${firmware.SrcVersion ?? ''}.`)
    }
    const startAt = schedule.scheduleTime === undefined ? now : now + this.clock.scaledDelay(schedule.scheduleTime - now)
    const finishAt = schedule.scheduleFinishTime === undefined ? undefined : now + this.clock.scaledDelay(schedule.scheduleFinishTime - now)
    const job = this.newJob('static', firmware, productKey, common, now, {
      batch,
      schedule,
      startAt,
      finish: finishAt === undefined ? undefined : { at: finishAt, desc: 'ScheduleFinishTime reached' },
      targetSelection: target.selection,
      grayPercent: target.grayPercent,
      srcVersions: target.srcVersions,
      groupId: target.groupId,
      groupType: target.groupType
    })
    // A list file's devices that the package cannot upgrade are skipped, not refused (documented).
    const listed = target.listed && this.devicesByName(productKey, target.listed)
    const versionOf = (d: Device) => this.book.versionAt(d, firmware.ModuleName, now)
    const targets = selectTargets(this.fleet.devices(productKey), { ...target, named: named ?? listed }, firmware, versionOf)
    targets.forEach((device, i) => this.addTask(job, device, now, this.clock.after(startAt, Math.floor(i / batch.maximumPerMinute))))
    return job
  }

  createDynamicJob(firmware: FirmwareView, productKey: string, scope: DynamicScope, common: CommonSettings, batch: BatchSettings, now: number): Job {
    this.checkVerified(firmware, now)
    if (this.jobsOf(firmware.FirmwareId).some((j) => j.kind === 'dynamic' && this.jobStatus(j, now).status === 'IN_PROGRESS')) {
      throw jobErrors.illegal('The package already has a dynamic upgrade job in progress: cancel its strategy first.')
    }
    const job = this.newJob('dynamic', firmware, productKey, common, now, { batch, targetSelection: 'ALL', ...scope })
    const late = this.fleet.lateDevices(productKey)
    job.pickedUp = late.filter((d) => this.clock.minute(d.onlineAtMinute) <= now).length
    if (scope.dynamicMode === 1) {
      const online = this.fleet.devices(productKey).filter((d) => this.clock.minute(d.onlineAtMinute) <= now && this.qualifies(job, d, now))
      online.forEach((device, i) => this.addTask(job, device, now, this.clock.after(now, Math.floor(i / batch.maximumPerMinute))))
    }
    return job
  }

  /** Dynamic jobs take in the devices that came online up to `now`; the newest job wins a device. */
  advance(now: number): void {
    const dynamic = [...this.jobs.values()].filter((j) => j.kind === 'dynamic' && j.canceledAt === undefined).reverse()
    for (const job of dynamic) {
      const late = this.fleet.lateDevices(job.productKey)
      for (; job.pickedUp < late.length; job.pickedUp++) {
        const device = late[job.pickedUp] as Device
        const at = this.clock.minute(device.onlineAtMinute)
        if (at > now) break
        if (this.qualifies(job, device, at) && !this.book.unfinished(device, at)) this.addTask(job, device, at, at)
      }
    }
  }

  /** A static or verify job is COMPLETED once no task is left unfinished; one state per course is looked at. */
  jobStatus(job: Job, now: number): { status: JobStatus; endAt?: number } {
    if (job.canceledAt !== undefined && now >= job.canceledAt) return { status: 'CANCELED', endAt: job.canceledAt }
    if (now < job.startAt) return { status: 'PLANNED' }
    if (job.kind === 'dynamic') return { status: 'IN_PROGRESS' }
    let endAt = job.startAt
    for (const [course] of job.tasks.courses()) {
      const state = this.book.courseState(course, now)
      if (UNFINISHED_STATUSES.has(state.status)) return { status: 'IN_PROGRESS' }
      endAt = Math.max(endAt, state.changedAt)
    }
    return { status: 'COMPLETED', endAt }
  }

  /** ListOTATaskByJob: tasks in creation order, filtered by status or device names, one page of them. */
  listTasks(job: Job, now: number, query: TaskQuery): TaskPage {
    return listTasks(this.book, job.tasks, now, query, (name) => this.fleet.device(job.productKey, name))
  }

  /** QueryOTAFirmware's Status and VerifyProgress, following the package's latest verify job. */
  verification(firmware: FirmwareView, now: number): { Status: number; VerifyProgress: number } {
    if (!firmware.NeedToVerify) return { Status: -1, VerifyProgress: 0 }
    const job = this.jobsOf(firmware.FirmwareId)
      .filter((j) => j.kind === 'verify')
      .at(-1)
    if (!job) return { Status: firmware.Status, VerifyProgress: 0 }
    let finished = 0
    let succeeded = 0
    for (const task of job.tasks.list) {
      const { status } = this.book.state(task, now)
      if (!UNFINISHED_STATUSES.has(status)) finished++
      if (status === 'SUCCEEDED') succeeded++
    }
    const total = job.tasks.size
    if (finished < total) return { Status: 2, VerifyProgress: Math.floor((finished * 100) / total) }
    return { Status: succeeded === total ? 1 : 3, VerifyProgress: 100 }
  }

  reset(): void {
    this.jobs.clear()
    this.byFirmware.clear()
    this.numbered.clear()
    this.book.clear()
  }

  private checkVerified(firmware: FirmwareView, now: number): void {
    const { Status } = this.verification(firmware, now)
    if (Status !== -1 && Status !== 1) throw jobErrors.notVerified()
  }

  /** A dynamic job's scope: its SrcVersions or group, and a version the package can upgrade. */
  private qualifies(job: Job, device: Device, at: number): boolean {
    if (job.groupId !== undefined && !device.groups.has(job.groupId)) return false
    const version = this.book.versionAt(device, job.firmware.ModuleName, at)
    if (job.srcVersions.length > 0 && !job.srcVersions.includes(version)) return false
    return upgradable(job.firmware, version)
  }

  private newJob(
    kind: JobKind,
    firmware: FirmwareView,
    productKey: string,
    common: CommonSettings,
    now: number,
    rest: Partial<Job> & Pick<Job, 'targetSelection'>
  ): Job {
    const number = ++this.jobCount
    const id = `EmuJob${String(number).padStart(14, '0')}010001`
    const job: Job = {
      id,
      kind,
      firmware,
      productKey,
      createdAt: now,
      startAt: now,
      common,
      srcVersions: [],
      schedule: {},
      tasks: new JobTasks(),
      modifiedAt: now,
      pickedUp: 0,
      ...rest
    }
    this.jobs.set(id, job)
    this.numbered.set(number % 1_000_000, job)
    const list = this.byFirmware.get(firmware.FirmwareId)
    if (list) list.push(job)
    else this.byFirmware.set(firmware.FirmwareId, [job])
    return job
  }

  /** The course of a task created at `at`: failed at once when the device is busy elsewhere, else pushed once online. */
  private courseFor(job: Job, device: Device, at: number, pushFrom: number): Course {
    const busy = this.book.unfinished(device, at)
    if (busy) {
      const overwrite = job.batch?.overwriteMode === 2 && this.book.state(busy, at).status !== 'IN_PROGRESS'
      if (overwrite) this.moveTask(busy, cancelledCourse(busy.course, at, `overwritten by job ${job.id} (OverwriteMode 2)`))
      else {
        const desc = `${FAILURE_DESCS.busy} ${busy.jobId}: a device can be pending or upgrading in one batch only`
        // Shared per busy job: the desc names it (a behaviour name never starts with a space).
        return job.tasks.course(at, at, ` ${busy.jobId}`, () => ({ timeline: this.timeline(job, device, at, at), rejected: desc }))
      }
    }
    const pushAt = this.nextPush(device, pushFrom)
    return job.tasks.course(at, pushAt, device.behaviour, () => ({ timeline: this.timeline(job, device, at, pushAt), cancel: job.finish }))
  }

  /** A task for `device` created at `at`, pushed from `pushFrom` once the device is online; one batch per device. */
  private addTask(job: Job, device: Device, at: number, pushFrom: number): void {
    const srcVersion = this.book.versionAt(device, job.firmware.ModuleName, at)
    const task = new Task(job.id, job.tasks.size, device, job.firmware, srcVersion, at, this.courseFor(job, device, at, pushFrom))
    job.tasks.add(task)
    this.book.add(task)
  }
}
