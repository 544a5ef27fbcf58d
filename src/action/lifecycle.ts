/**
 * One lifecycle for every action: mask the credentials, read the inputs once, run, then report
 * through the runner seam (outputs, the job summary, one annotation). A failure anywhere reports
 * `result=failed`, a titled error and a summary that says what to do; it never reports success.
 */
import type { ActionError } from '../contract/action-error.js'
import type { Report } from '../report/report.js'
import { COMMON_OUTPUT } from '../contract/names.js'
import type { Environment, InputReader } from '../config/readers.js'
import { failStep, log, maskCredentials, notice, readInput, setOutputs, writeSummary } from './runner.js'

/** What a failed run still reports: outputs it knows (a job left running), and its summary. */
export interface FailureReport {
  readonly outputs?: Readonly<Record<string, string>>
  readonly summary: string
}

export interface ActionDefinition<I, O, S> {
  /** Names the action in annotations and summaries, e.g. `OTA publish`. */
  readonly what: string
  /** A fresh record of what the run learns as it goes, for the reports of a failure. */
  state(): S
  /** Reads and validates every input; throws an ActionError naming the input before any request. */
  parse(read: InputReader, env: Environment, state: S): I
  run(inputs: I, state: S): Promise<O>
  report(outcome: O, inputs: I, state: S): Report
  /** The error to report: the thrown one, or one that says more (the job it left running). */
  blame?(error: unknown, state: S): unknown
  reportFailure(failure: { message: string; details?: ActionError }, state: S): FailureReport
  /** Written last in either case (publish: the manifest); it cannot change the step's outcome. */
  finish?(state: S, end: { result: string; message?: string }): Promise<void>
}

async function reportSuccess<I, O, S>(action: ActionDefinition<I, O, S>, report: Report): Promise<void> {
  for (const line of report.lines ?? []) log.info(line)
  setOutputs(report.outputs)
  await writeSummary(report.summary)
  if (report.failure) failStep(action.what, report.failure)
  else if (report.notice) notice(report.notice.title, report.notice.message)
}

export async function runAction<I, O, S>(action: ActionDefinition<I, O, S>): Promise<void> {
  const state = action.state()
  let end: { result: string; message?: string }
  try {
    maskCredentials()
    const inputs = action.parse(readInput, process.env, state)
    const report = action.report(await action.run(inputs, state), inputs, state)
    await reportSuccess(action, report)
    end = { result: report.result, message: report.failure?.message ?? report.message }
  } catch (error) {
    const failure = failStep(action.what, action.blame ? action.blame(error, state) : error)
    const report = action.reportFailure(failure, state)
    setOutputs({ ...report.outputs, [COMMON_OUTPUT.result]: 'failed' })
    await writeSummary(report.summary)
    end = { result: 'failed', message: failure.message }
  }
  await action.finish?.(state, end)
}
