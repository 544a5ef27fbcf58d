/** What the verify and rollout actions share (start-up, the client, naming a job a failure left running); prune shares the start-up. */
import { ActionError, describeError } from '../contract/action-error.js'
import { EMULATOR_ENV, JOB_OUTPUT } from '../contract/names.js'
import { type Connection, parseConnection, type SignedConnection } from '../config/connection.js'
import type { Environment, InputReader } from '../config/readers.js'
import type { JobDeps } from '../jobs/deps.js'
import { MINUTE_MS } from '../platform/job-rules.js'
import type { ActionKind } from '../platform/ram.js'
import { renderFailureSummary } from '../report/failure.js'
import type { Report } from '../report/report.js'
import type { ActionDefinition } from './lifecycle.js'
import { log } from './runner.js'
import { createJobDeps } from './wiring.js'

/** One job action: how it reads, runs and reports; the steps around it are shared. */
export interface JobAction<I, O> {
  /** Names the action in annotations and the summary, e.g. `OTA verify`. */
  readonly what: string
  /** Which action it is, for the RAM actions a permission error names. */
  readonly kind: ActionKind
  parse(read: InputReader, connection: Connection): I
  run(inputs: I, deps: JobDeps): Promise<O>
  report(outcome: O, inputs: I): Report
}

/** What a job run has learnt: the job, once known (created or found). */
interface JobState {
  jobId?: string
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

/** The connection inputs, read first by every action but publish (credentials required); its notes go to the debug log. */
export function readConnection(read: InputReader, env: Environment): SignedConnection {
  const connection = parseConnection(read, env)
  for (const note of connection.debugNotes) log.debug(note)
  return connection
}

/** The client and clock of a run that works on the platform's jobs and packages (verify, rollout, prune), on the platform's clock. */
export function connect(connection: SignedConnection, kind: ActionKind): JobDeps {
  if (connection.minuteMs !== MINUTE_MS) {
    log.info(`A platform minute lasts ${connection.minuteMs} ms here (${EMULATOR_ENV.minuteMs}, the emulator's clock): waits and pacing count on it.`)
  }
  return createJobDeps(connection, log, kind)
}

/** The lifecycle of a job action: connection first, then its own inputs; the client on the platform's clock. */
export function jobAction<I, O>(action: JobAction<I, O>): ActionDefinition<I & { readonly connection: SignedConnection }, O, JobState> {
  return {
    what: action.what,
    state: () => ({}),
    parse(read, env) {
      const connection = readConnection(read, env)
      return { ...action.parse(read, connection), connection }
    },
    run(inputs, state) {
      const deps = connect(inputs.connection, action.kind)
      return action.run(inputs, { ...deps, onJob: (id) => (state.jobId = id) })
    },
    report: (outcome, inputs) => action.report(outcome, inputs),
    // A job that exists keeps running on the devices: say which, for a later step or a person.
    blame: (error, state) => (state.jobId ? naming(state.jobId, error) : error),
    reportFailure: ({ message, details }, state) => ({
      outputs: state.jobId === undefined ? undefined : { [JOB_OUTPUT.jobId]: state.jobId },
      summary: renderFailureSummary(message, details?.hint, { action: action.what, input: details?.input, code: details?.code })
    })
  }
}
