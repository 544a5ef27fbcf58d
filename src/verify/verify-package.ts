import { ActionError } from '../contract/action-error.js'
import { newJobLookup, readFirmwareState, type FirmwareState } from '../jobs/package-state.js'
import type { JobDeps } from '../jobs/deps.js'
import { deadlineIn } from '../jobs/poll.js'
import { VERIFY_INPUT } from '../contract/names.js'
import { JOB_TYPE } from '../platform/job-rules.js'
import { formatMinutes } from '../report/format.js'
import { readTasks } from '../jobs/tasks.js'
import { deviceStates, followVerify, neverReported, type DeviceState } from './follow.js'
import type { VerifyInputs } from './inputs.js'
import { findVerifyStart } from './reuse.js'
import { protocolRefusal } from '../jobs/download-protocol.js'

type VerifyResult = 'verified' | 'failed' | 'started' | 'not-needed'

/** What a verify run found and did. */
export interface VerifyOutcome {
  readonly result: VerifyResult
  readonly jobId?: string
  readonly firmwareId: string
  readonly devices: readonly DeviceState[]
  readonly firmware: FirmwareState
  /** How the job came about. */
  readonly origin: 'created' | 'followed' | 'earlier' | 'none'
  readonly timedOut: boolean
  /** With timedOut: the devices that never reported progress. */
  readonly neverReported: readonly string[]
  readonly waitMinutes: number
}

type Inputs = Pick<
  VerifyInputs,
  'productKey' | 'firmwareId' | 'devices' | 'timeoutInMinutes' | 'needPush' | 'needConfirm' | 'downloadProtocol' | 'wait' | 'waitMinutes'
>

async function createVerifyJob(inputs: Inputs, known: ReadonlySet<string>, deps: JobDeps): Promise<string> {
  const params = {
    FirmwareId: inputs.firmwareId,
    ProductKey: inputs.productKey,
    TargetDeviceName: inputs.devices,
    TimeoutInMinutes: inputs.timeoutInMinutes,
    NeedPush: inputs.needPush,
    NeedConfirm: inputs.needConfirm,
    DownloadProtocol: inputs.downloadProtocol
  }
  // A package has one verification at a time, so a new verify job is the one the lost create made.
  const lookup = newJobLookup(inputs.firmwareId, known, async (job) => job.JobType === JOB_TYPE.verify, deps)
  return (await deps.api.createVerifyJob(params, lookup)).JobId
}

/**
 * Verifies a package on test devices: reuses what a previous run did (a verified package, a
 * running verify job), otherwise creates the job, then follows it unless `wait` is false.
 */
export async function verifyPackage(inputs: Inputs, deps: JobDeps): Promise<VerifyOutcome> {
  const base = { firmwareId: inputs.firmwareId, timedOut: false, neverReported: [], waitMinutes: inputs.waitMinutes, devices: [] }
  const start = await deps.log.group("Look for this package's verification", () => findVerifyStart(inputs.firmwareId, deps))
  const refusal = protocolRefusal(start.firmware, inputs.downloadProtocol)
  if (refusal) throw refusal
  if (start.kind === 'not-needed') {
    deps.log.info(`Package ${inputs.firmwareId} was published with NeedToVerify=false: it needs no verification, so no job is created.`)
    return { ...base, result: 'not-needed', firmware: start.firmware, origin: 'none' }
  }
  if (start.kind === 'verified') {
    deps.log.info(`Package ${inputs.firmwareId} is verified already${start.jobId ? ` (job ${start.jobId})` : ''}; no new job.`)
    const devices = start.jobId ? deviceStates([], await readTasks(deps, start.jobId)) : []
    return { ...base, result: 'verified', jobId: start.jobId, firmware: start.firmware, origin: 'earlier', devices }
  }
  const origin = start.kind === 'follow' ? 'followed' : 'created'
  const jobId = start.kind === 'follow' ? start.jobId : await deps.log.group('Create the verify job', () => createVerifyJob(inputs, start.known, deps))
  deps.onJob?.(jobId)
  deps.log.info(
    start.kind === 'follow'
      ? `Following verify job ${jobId}, started earlier for this package.`
      : `Created verify job ${jobId} for ${inputs.devices.join(', ')}.`
  )
  if (!inputs.wait) {
    // Not followed: the devices' tasks are not read, so none is reported; the package's Status is (it moved to verifying).
    const firmware = await readFirmwareState(inputs.firmwareId, deps)
    return { ...base, result: 'started', jobId, firmware, origin }
  }
  const deadline = deadlineIn(inputs.waitMinutes, deps)
  const targets = origin === 'created' ? inputs.devices : []
  const followed = await deps.log.group(`Follow verify job ${jobId}`, () => followVerify(jobId, inputs.firmwareId, targets, deadline, deps))
  const allSucceeded = !followed.timedOut && followed.devices.every((d) => d.status === 'SUCCEEDED')
  return {
    ...base,
    result: allSucceeded ? 'verified' : 'failed',
    jobId,
    origin,
    devices: followed.devices,
    firmware: followed.firmware,
    timedOut: followed.timedOut,
    neverReported: followed.timedOut ? neverReported(followed.devices) : []
  }
}

/** The error that fails the step, or undefined when the outcome is a success. */
export function verifyFailure(outcome: VerifyOutcome): ActionError | undefined {
  if (outcome.result !== 'failed') return undefined
  const job = `verify job ${outcome.jobId ?? '?'}`
  if (outcome.timedOut && outcome.neverReported.length > 0) {
    return new ActionError(
      `${outcome.neverReported.length} device(s) of ${job} never reported progress within ${formatMinutes(outcome.waitMinutes)}: ${outcome.neverReported.join(', ')}.`,
      {
        input: VERIFY_INPUT.waitMinutes,
        hint:
          (outcome.devices.some((d) => d.status === 'CONFIRM')
            ? `With '${VERIFY_INPUT.needConfirm}: true' a task waits in CONFIRM until the device side confirms it (ConfirmOTATask). `
            : '') +
          `A device that is offline stays QUEUED, and the job's timeout only starts at its first report: bring it online, or raise '${VERIFY_INPUT.waitMinutes}'. A re-run follows the same job.`
      }
    )
  }
  const bad = outcome.devices.filter((d) => d.status !== 'SUCCEEDED')
  const list = bad.map((d) => `${d.name} ${d.status}${d.message ? ` (${d.message})` : ''}`).join(', ')
  return new ActionError(
    outcome.timedOut ? `${job} had not finished within ${formatMinutes(outcome.waitMinutes)}: ${list}.` : `Verification failed in ${job}: ${list}.`,
    { hint: 'See the table in the job summary for what each device reported. A failed verification can be retried with a new run once the cause is fixed.' }
  )
}
