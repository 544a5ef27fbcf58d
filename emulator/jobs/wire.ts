import { iotIdOf } from '../devices/identity.js'
import type { Job, JobModel } from './jobs.js'
import type { Task } from './tasks.js'
import { progressText, type TaskState } from './timeline.js'

const utc = (at: number) => new Date(at).toISOString()

/** ListOTATaskByJob's SimpleOTATaskInfo (Progress and Timeout are strings). */
export function taskInfo(task: Task, state: TaskState): Record<string, unknown> {
  const timeout = task.course.timeline.timeoutMinutes
  return {
    TaskId: task.id,
    JobId: task.jobId,
    FirmwareId: task.firmwareId,
    ProductKey: task.device.productKey,
    DeviceName: task.device.name,
    IotId: iotIdOf(task.device),
    SrcVersion: task.srcVersion,
    DestVersion: task.destVersion,
    TaskStatus: state.status,
    Progress: progressText(state.progress),
    TaskDesc: state.desc,
    Timeout: timeout === undefined ? '' : String(timeout),
    UtcCreate: utc(task.createdAt),
    UtcModified: utc(Math.max(task.createdAt, state.changedAt))
  }
}

function tagsOf(job: Job): { OtaTagDTO: { Key: string; Value: string }[] } {
  return { OtaTagDTO: job.common.tags.map((t) => ({ ...t })) }
}

/** The fields QueryOTAJob and ListOTAJobByFirmware share. */
export function jobSummary(model: JobModel, job: Job, now: number): Record<string, unknown> {
  const { status, endAt } = model.jobStatus(job, now)
  return {
    JobId: job.id,
    FirmwareId: job.firmware.FirmwareId,
    ProductKey: job.productKey,
    JobStatus: status,
    JobType: job.kind === 'verify' ? 'VERIFY_FIRMWARE' : 'UPGRADE_FIRMWARE',
    SelectionType: job.kind === 'dynamic' ? 'DYNAMIC' : 'STATIC',
    TargetSelection: job.targetSelection,
    Tags: tagsOf(job),
    UtcCreate: utc(job.createdAt),
    UtcModified: utc(Math.max(job.modifiedAt, endAt ?? 0)),
    UtcStartTime: status === 'PLANNED' ? undefined : utc(job.startAt),
    UtcEndTime: endAt === undefined ? undefined : utc(endAt)
  }
}

/** QueryOTAJob's Data: optional fields only when they were set, as documented. */
export function jobInfo(model: JobModel, job: Job, now: number): Record<string, unknown> {
  const { common, batch, schedule } = job
  return {
    ...jobSummary(model, job, now),
    DestVersion: job.firmware.DestVersion,
    SrcVersions: job.srcVersions.length > 0 ? { SrcVersion: [...job.srcVersions] } : undefined,
    GrayPercent: job.grayPercent,
    TimeoutInMinutes: common.timeoutMinutes,
    NeedPush: common.needPush,
    NeedConfirm: common.needConfirm,
    DownloadProtocol: common.downloadProtocol,
    MaximumPerMinute: batch?.maximumPerMinute,
    RetryInterval: batch?.retry?.intervalMinutes,
    RetryCount: batch?.retry?.count,
    OverwriteMode: batch?.overwriteMode,
    MultiModuleMode: batch?.multiModuleMode,
    GroupId: job.groupId,
    DynamicMode: job.dynamicMode,
    UtcScheduleTime: schedule.scheduleTime === undefined ? undefined : utc(schedule.scheduleTime),
    UtcScheduleFinishTime: schedule.scheduleFinishTime === undefined ? undefined : utc(schedule.scheduleFinishTime)
  }
}

/** `"50.00"`, or three decimals when the caller gave three. */
export function grayPercentText(thousandths: number): string {
  return (thousandths / 1000).toFixed(thousandths % 10 === 0 ? 2 : 3)
}
