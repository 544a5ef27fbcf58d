import { withRetry, type RetryPolicy } from '../net/retry.js'
import { describeError } from '../contract/action-error.js'
import { isRetryable } from '../net/transient.js'
import { explain } from './explain.js'
import type { ActionKind } from './ram.js'
import type { Logger } from '../contract/logger.js'

/** Runs one step with the run's retry policy; names it in each retry warning; explains the last failure. */
export type Retrier = <T>(what: string, fn: (attempt: number) => Promise<T>) => Promise<T>

/** `action` names the RAM actions a permission error's hint lists. */
export function createRetrier(policy: RetryPolicy, log: Pick<Logger, 'warning'>, action?: ActionKind): Retrier {
  return <T>(what: string, fn: (attempt: number) => Promise<T>): Promise<T> =>
    withRetry(fn, policy, {
      isRetryable,
      onRetry: ({ attempt, delayMs, error }) =>
        log.warning(`${what}: attempt ${attempt} of ${policy.maxAttempts} failed (${describeError(error)}); retrying in ${(delayMs / 1000).toFixed(1)} s.`)
    }).catch((err: unknown) => {
      throw explain(err, action)
    })
}
