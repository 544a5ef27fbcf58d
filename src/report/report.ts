import type { ActionError } from '../contract/action-error.js'
import { COMMON_OUTPUT } from '../contract/names.js'

/** What a run says when it is over, for the runner to write: outputs, the job summary, one annotation. */
export interface Report {
  /** The step's outcome word, the `result` output (`created`, `verified`, `halted`, …). */
  readonly result: string
  readonly outputs: Readonly<Record<string, string>>
  readonly summary: string
  /** Lines for the log before the outputs (a dry run's parameters). */
  readonly lines?: readonly string[]
  /** The annotation of a run that went as asked. */
  readonly notice?: { readonly title: string; readonly message: string }
  /** Fails the step although the run itself went through (a device failed, a halt). */
  readonly failure?: ActionError
  /** What the run says of itself in a sentence (the manifest's `message`). */
  readonly message?: string
}

/** The outputs and, under `json`, all of them together with `detail` (the same values in one object for `fromJSON`). */
export function withJson(values: Readonly<Record<string, string>>, detail: Readonly<Record<string, unknown>> = {}): Record<string, string> {
  return { ...values, [COMMON_OUTPUT.json]: JSON.stringify({ ...values, ...detail }) }
}
