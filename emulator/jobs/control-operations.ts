import { jobErrors } from './errors.js'
import { firmwareFor, type Handler, type JobsHost } from './host.js'
import type { JobModel } from './jobs.js'
import type { RpcParams } from '../iot/rpc-params.js'
import { JOB_LIMITS, readDistinct } from './rules.js'
import { cancelStrategy, cancelTasksByDevice, cancelTasksByJob, confirmTasks, reupgradeTasks, type CancelFlags } from './task-control.js'

function readCancelFlags(params: RpcParams): CancelFlags {
  const flags: CancelFlags = {
    queued: params.boolean('CancelQueuedTask') ?? false,
    notified: params.boolean('CancelNotifiedTask') ?? false,
    inProgress: params.boolean('CancelInProgressTask') ?? false,
    scheduled: params.boolean('CancelScheduledTask') ?? false,
    unconfirmed: params.boolean('CancelUnconfirmedTask')
  }
  if (!flags.queued && !flags.notified && !flags.inProgress && !flags.scheduled && !flags.unconfirmed) {
    throw jobErrors.illegal(
      'Set at least one of CancelScheduledTask, CancelQueuedTask, CancelNotifiedTask, CancelInProgressTask, CancelUnconfirmedTask to true.'
    )
  }
  return flags
}

/** TaskId.N: 1 to 10 distinct ids (ReupgradeOTATask's and ConfirmOTATask's limit). */
function readTaskIds(params: RpcParams): string[] {
  const ids = readDistinct(params, 'TaskId', JOB_LIMITS.taskIds, jobErrors.tooManyTasks)
  if (ids.length === 0) throw jobErrors.missing('TaskId')
  return ids
}

/** The operations that act on tasks already there: cancels, confirmations, reupgrades. All answer the common fields only. */
export function controlHandlers(model: JobModel, host: JobsHost): Record<string, Handler> {
  return {
    CancelOTATaskByJob: (params, now) => {
      cancelTasksByJob(model, model.job(params.required('JobId')), readCancelFlags(params), now)
      return {}
    },
    CancelOTAStrategyByJob: (params, now) => {
      cancelStrategy(model.job(params.required('JobId')), now)
      return {}
    },
    CancelOTATaskByDevice: (params, now) => {
      const productKey = params.required('ProductKey')
      const firmware = firmwareFor(host, params, productKey)
      const names = readDistinct(params, 'DeviceName', JOB_LIMITS.cancelDevices)
      if (names.length === 0) throw jobErrors.missing('DeviceName')
      const jobId = params.optional('JobId')
      const job = jobId === undefined ? undefined : model.job(jobId)
      if (job && job.firmware.FirmwareId !== firmware.FirmwareId)
        throw jobErrors.illegal(`The job ${job.id} is not a job of the package ${firmware.FirmwareId}.`)
      cancelTasksByDevice(model, firmware.FirmwareId, model.devicesByName(productKey, names), job, now)
      return {}
    },
    ConfirmOTATask: (params, now) => {
      confirmTasks(model, readTaskIds(params), now)
      return {}
    },
    ReupgradeOTATask: (params, now) => {
      const job = model.job(params.required('JobId'))
      if (!host.firmware(job.firmware.FirmwareId)) throw jobErrors.invalidFirmwareUid()
      reupgradeTasks(model, job, readTaskIds(params), now)
      return {}
    }
  }
}
