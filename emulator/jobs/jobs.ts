import { JobClock } from './clock.js'
import { jobErrors } from './errors.js'
import { Fleet, type Device, type DeviceSpec } from '../devices/fleet.js'
import type { BatchSettings, CommonSettings, Schedule, TargetSelection } from './rules.js'
import { selectTargets, upgradable, type FirmwareView, type TargetRule } from './targets.js'
import { TaskBook, type Task } from './tasks.js'
import { UNFINISHED_STATUSES, type TaskState, type TaskStatus } from './timeline.js'

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
  tasks: Task[]
  /** CancelOTAStrategyByJob, or a scheduled batch cancelled before it started. */
  canceledAt?: number
  modifiedAt: number
  /** Dynamic jobs: how many of the product's late devices have been looked at. */
  pickedUp: number
}

export interface StaticTarget extends Omit<TargetRule, 'named'> {
  names?: readonly string[]
  grayPercent?: string
  groupType?: string
}

interface DynamicScope {
  srcVersions: readonly string[]
  groupId?: string
  groupType?: string
  dynamicMode: 1 | 2
}

/** CancelOTATaskByJob's flags; `unconfirmed` is tri-state as documented. */
export interface CancelFlags {
  queued: boolean
  notified: boolean
  inProgress: boolean
  scheduled: boolean
  unconfirmed?: boolean
}

interface TaskPage {
  total: number
  items: { task: Task; state: TaskState }[]
}

const BUSY_DESC = 'the device has an unfinished task in job'

/**
 * OTA jobs over a simulated fleet. Pure: every method takes the instant; task states are derived
 * from the clock on read. Call `advance(now)` before any read or write so dynamic jobs take in the
 * devices that came online meanwhile.
 */
export class JobModel {
  readonly fleet: Fleet
  readonly clock: JobClock
  readonly book = new TaskBook()
  private readonly jobs = new Map<string, Job>()
  private readonly byFirmware = new Map<string, Job[]>()
  private serial = 0

  constructor(options: { devices: readonly DeviceSpec[]; minuteMs: number; origin: number }) {
    this.fleet = new Fleet(options.devices)
    this.clock = new JobClock(options.origin, options.minuteMs)
  }

  job(jobId: string): Job {
    const job = this.jobs.get(jobId)
    if (!job) throw jobErrors.jobNotFound()
    return job
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
    const job = this.newJob('static', firmware, productKey, common, now, {
      batch,
      schedule,
      startAt,
      targetSelection: target.selection,
      grayPercent: target.grayPercent,
      srcVersions: target.srcVersions,
      groupId: target.groupId,
      groupType: target.groupType
    })
    const versionOf = (d: Device) => this.book.versionAt(d, firmware.ModuleName, now)
    const targets = selectTargets(this.fleet.devices(productKey), { ...target, named }, firmware, versionOf)
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

  jobStatus(job: Job, now: number): { status: JobStatus; endAt?: number } {
    if (job.canceledAt !== undefined && now >= job.canceledAt) return { status: 'CANCELED', endAt: job.canceledAt }
    if (now < job.startAt) return { status: 'PLANNED' }
    if (job.kind === 'dynamic') return { status: 'IN_PROGRESS' }
    let endAt = job.startAt
    for (const task of job.tasks) {
      const state = this.book.state(task, now)
      if (UNFINISHED_STATUSES.has(state.status)) return { status: 'IN_PROGRESS' }
      endAt = Math.max(endAt, state.changedAt)
    }
    return { status: 'COMPLETED', endAt }
  }

  /** Tasks in creation order, filtered by status or device names, one page of them materialised. */
  listTasks(job: Job, now: number, query: { status?: TaskStatus; names?: readonly string[]; page: number; size: number }): TaskPage {
    const names = query.names && new Set(query.names)
    const from = names ? 0 : (query.page - 1) * query.size
    const to = names ? Infinity : from + query.size
    const items: TaskPage['items'] = []
    let total = 0
    for (const task of job.tasks) {
      if (names && !names.has(task.device.name)) continue
      const state = this.book.state(task, now)
      if (query.status !== undefined && state.status !== query.status) continue
      if (total >= from && total < to) items.push({ task, state })
      total++
    }
    return { total, items }
  }

  cancelTasks(job: Job, flags: CancelFlags, now: number): number {
    const { status } = this.jobStatus(job, now)
    if (status === 'COMPLETED') throw jobErrors.jobFinished()
    const statuses = new Set<TaskStatus>()
    if (flags.queued) statuses.add('QUEUED')
    if (flags.unconfirmed ?? flags.queued) statuses.add('CONFIRM')
    if (flags.notified) statuses.add('NOTIFIED')
    if (flags.inProgress) statuses.add('IN_PROGRESS')
    const wholeBatch = flags.scheduled && status === 'PLANNED'
    if (wholeBatch) job.canceledAt = now
    let canceled = 0
    for (const task of job.tasks) {
      if (!wholeBatch && !statuses.has(this.book.state(task, now).status)) continue
      if (this.book.cancel(task, now, `canceled by CancelOTATaskByJob`)) canceled++
    }
    job.modifiedAt = now
    return canceled
  }

  cancelStrategy(job: Job, now: number): void {
    if (job.kind !== 'dynamic') throw jobErrors.notDynamic()
    if (job.canceledAt !== undefined) throw jobErrors.jobCanceled()
    job.canceledAt = now
    job.modifiedAt = now
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
    for (const task of job.tasks) {
      const { status } = this.book.state(task, now)
      if (!UNFINISHED_STATUSES.has(status)) finished++
      if (status === 'SUCCEEDED') succeeded++
    }
    const total = job.tasks.length
    if (finished < total) return { Status: 2, VerifyProgress: Math.floor((finished * 100) / total) }
    return { Status: succeeded === total ? 1 : 3, VerifyProgress: 100 }
  }

  reset(): void {
    this.jobs.clear()
    this.byFirmware.clear()
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
    const id = `EmuJob${String(++this.serial).padStart(14, '0')}010001`
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
      tasks: [],
      modifiedAt: now,
      pickedUp: 0,
      ...rest
    }
    this.jobs.set(id, job)
    const list = this.byFirmware.get(firmware.FirmwareId)
    if (list) list.push(job)
    else this.byFirmware.set(firmware.FirmwareId, [job])
    return job
  }

  /** A task for `device` created at `at`, pushed from `pushFrom` once the device is online; one batch per device. */
  private addTask(job: Job, device: Device, at: number, pushFrom: number): void {
    const busy = this.book.unfinished(device, at)
    let rejected: string | undefined
    if (busy) {
      const overwrite = job.batch?.overwriteMode === 2 && this.book.state(busy, at).status !== 'IN_PROGRESS'
      if (overwrite) this.book.cancel(busy, at, `overwritten by job ${job.id} (OverwriteMode 2)`)
      else rejected = `${BUSY_DESC} ${busy.jobId}: a device can be pending or upgrading in one batch only`
    }
    const finishAt = job.schedule.scheduleFinishTime
    const task: Task = {
      id: `EmuTask${String(++this.serial).padStart(13, '0')}010001`,
      jobId: job.id,
      device,
      moduleName: job.firmware.ModuleName,
      firmwareId: job.firmware.FirmwareId,
      destVersion: job.firmware.DestVersion,
      srcVersion: this.book.versionAt(device, job.firmware.ModuleName, at),
      createdAt: at,
      timeline: {
        behaviour: device.behaviour,
        createdAt: at,
        pushAt: Math.max(pushFrom, this.clock.minute(device.onlineAtMinute)),
        minuteMs: this.clock.minuteMs,
        timeoutMinutes: job.common.timeoutMinutes,
        retry: job.batch?.retry,
        needConfirm: job.common.needConfirm
      },
      rejected,
      cancel: finishAt === undefined ? undefined : { at: at + this.clock.scaledDelay(finishAt - at), desc: 'ScheduleFinishTime reached' }
    }
    job.tasks.push(task)
    this.book.add(task)
  }
}
