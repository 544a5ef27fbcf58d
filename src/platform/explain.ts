import { ActionError } from '../contract/action-error.js'
import { INPUT } from '../contract/names.js'
import { ApiError } from '../net/api-error.js'
import { TransportError } from '../net/transport.js'
import { permissionHint, type ActionKind } from './ram.js'
import { hintForCode, isPermissionDenied } from './remediations.js'

/** Turns a final platform failure into an error that says what to do; a permission error names what `action` needs. */
export function explain(err: unknown, action?: ActionKind): unknown {
  if (err instanceof ApiError) {
    const hint = (isPermissionDenied(err.code) ? permissionHint(err.operation, action) : undefined) ?? hintForCode(err.code)
    return new ActionError(err.message, { code: err.code, hint, cause: err })
  }
  if (err instanceof TransportError) {
    const hint =
      err.kind === 'aborted'
        ? `Raise '${INPUT.timeoutMinutes}' if the upload needs longer.`
        : `Check the network and the endpoint; '${INPUT.maxAttempts}' and '${INPUT.requestTimeoutSeconds}' control the retries.`
    return new ActionError(err.message, { hint, cause: err })
  }
  return err
}

/** The platform's error code of a failure, raw (ApiError) or explained (ActionError); undefined for any other. */
export function platformCode(err: unknown): string | undefined {
  return err instanceof ApiError || err instanceof ActionError ? err.code : undefined
}
