/**
 * The one error type the action throws on purpose. `run()` turns it into a failed step with an
 * annotation titled after the input (when there is one) and the hint appended.
 */
export class ActionError extends Error {
  /** The action input at fault, kebab-case (e.g. `dest-version`), when there is one. */
  readonly input?: string
  /** What the user can do about it, one or two sentences. */
  readonly hint?: string
  /** The platform's error code (e.g. `SignatureDoesNotMatch`), when the platform answered. */
  readonly code?: string

  constructor(message: string, details: { input?: string; hint?: string; code?: string; cause?: unknown } = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause })
    this.name = 'ActionError'
    this.input = details.input
    this.hint = details.hint
    this.code = details.code
  }
}

/** An error for a bad input value: names the input, shows the value and what is allowed. */
export function invalidInput(input: string, value: string, allowed: string, hint?: string): ActionError {
  return new ActionError(`Input '${input}' is ${JSON.stringify(value)}: ${allowed}.`, { input, hint })
}

/** What an error says, whatever was thrown. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
