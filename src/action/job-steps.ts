import * as core from '@actions/core'
import { ActionError } from '../contract/action-error.js'
import { describeError } from '../net/transient.js'
import { EMULATOR_ENV, JOB_OUTPUT } from '../contract/names.js'
import { type Connection, parseConnection } from '../config/connection.js'
import type { InputReader } from '../config/readers.js'
import type { JobDeps } from '../jobs/deps.js'
import { readPlatformMinute } from '../jobs/job-inputs.js'
import { MINUTE_MS } from '../jobs/rules.js'
import { renderFailureSummary } from '../report/summary.js'
import { failStep, log, maskCredentials, notice, readInput, setOutputs, writeSummary } from './runner.js'
import { createJobDeps } from './wiring.js'

/** One job action (verify, rollout): how it reads, runs and reports; the steps around it are shared. */
interface JobAction<I, O> {
  /** Names the action in annotations and the summary, e.g. `OTA verify`. */
  readonly what: string
  parse(read: InputReader, connection: Connection): I
  run(inputs: I, deps: JobDeps): Promise<O>
  outputs(outcome: O): Record<string, string>
  summary(inputs: I, outcome: O): string
  /** The error that fails the step although the run itself went through (a device failed, a halt). */
  failure(outcome: O): ActionError | undefined
  /** The notice of a successful run. */
  success(outcome: O): string
}

/** The error, its input, hint and code kept, saying which job it left behind. */
function naming(jobId: string, error: unknown): ActionError {
  const details = error instanceof ActionError ? error : undefined
  return new ActionError(`${describeError(error)} (job ${jobId} was started and may still be running)`, {
    input: details?.input,
    hint: details?.hint,
    code: details?.code,
    cause: error
  })
}

/** Reads the inputs once, runs the job, then writes outputs, the job summary and one annotation. */
export async function runJobAction<I, O>(action: JobAction<I, O>): Promise<void> {
  let jobId: string | undefined
  try {
    maskCredentials()
    const connection = parseConnection(readInput, process.env)
    for (const note of connection.debugNotes) log.debug(note)
    const inputs = action.parse(readInput, connection)
    const minuteMs = readPlatformMinute(process.env, connection.endpoint)
    if (minuteMs !== MINUTE_MS)
      log.info(`A platform minute lasts ${minuteMs} ms here (${EMULATOR_ENV.minuteMs}, the emulator's clock): wait-minutes and the poll waits count on it.`)
    const outcome = await action.run(inputs, { ...createJobDeps(connection, log, minuteMs), onJob: (id) => (jobId = id) })
    setOutputs(action.outputs(outcome))
    await writeSummary(action.summary(inputs, outcome))
    const failure = action.failure(outcome)
    if (failure) failStep(action.what, failure)
    else notice(action.what, action.success(outcome))
  } catch (error) {
    // A job that exists keeps running on the devices: say which, for a later step or a person.
    const { message, details } = failStep(action.what, jobId ? naming(jobId, error) : error)
    core.setOutput(JOB_OUTPUT.result, 'failed')
    if (jobId) core.setOutput(JOB_OUTPUT.jobId, jobId)
    await writeSummary(renderFailureSummary(message, details?.hint, { action: action.what, input: details?.input, code: details?.code }))
  }
}
