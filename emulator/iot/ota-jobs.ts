import type { JobError } from '../jobs/errors.js'
import type { JobsHost } from '../jobs/host.js'
import { jobOperations } from '../jobs/operations.js'
import type { EmulatorContext } from '../server/context.js'
import { deviceListFile } from './device-list-url.js'
import { checkMarketplaceJob } from './marketplace.js'
import type { Operation, OperationCall } from './operation.js'
import { BusinessError, GatewayError } from '../server/responses.js'
import type { FirmwareRecord } from '../state/store.js'

/** The jobs model's refusals in the emulator's error types. */
function toEmulatorError(error: JobError): Error {
  return error.httpStatus === 200 ? new BusinessError(error.code, error.message) : new GatewayError(error.httpStatus, error.code, error.message)
}

/** The jobs operations, over this emulator's packages and the call's clock. */
function jobsOperation(action: string): Operation {
  return ({ params, now, context }: OperationCall) => {
    if (context.settings.apiVariant === 'marketplace') checkMarketplaceJob(action, params)
    const host: JobsHost = {
      firmware: (id) => context.store.firmwares.get(id),
      now: () => now,
      deviceList: (url, at) => deviceListFile(context, url, at)
    }
    const operation = jobOperations(context.jobs, host).get(action)
    if (!operation) throw new Error(`no jobs operation ${action}`)
    const answer = operation(params)
    if ('error' in answer) throw toEmulatorError(answer.error)
    return answer.body
  }
}

const JOB_ACTIONS = [
  'CreateOTAVerifyJob',
  'CreateOTAStaticUpgradeJob',
  'CreateOTADynamicUpgradeJob',
  'QueryOTAJob',
  'ListOTATaskByJob',
  'ListOTAJobByFirmware',
  'CancelOTATaskByJob',
  'CancelOTAStrategyByJob',
  'CancelOTATaskByDevice',
  'ConfirmOTATask',
  'ReupgradeOTATask'
] as const

export const JOB_OPERATIONS: [string, Operation][] = JOB_ACTIONS.map((action) => [action, jobsOperation(action)])

/** A package's Status and VerifyProgress as its verify jobs have left them. */
export function withVerification<T extends FirmwareRecord>(firmware: T, context: EmulatorContext, now: number): T {
  return { ...firmware, ...context.jobs.verification(firmware, now) }
}
