/** Exponential backoff with full jitter, told per error whether to try again. */
export interface RetryPolicy {
  maxAttempts: number
  baseDelayMs: number
  maxDelayMs: number
  /** Epoch milliseconds after which no new attempt starts. */
  deadline: number
  now: () => number
  sleep: (ms: number) => Promise<void>
  random: () => number
}

interface RetryHooks {
  /** Whether this failure can succeed on another attempt. */
  isRetryable: (err: unknown) => boolean
  /** Called before waiting for the next attempt. */
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void
}

/** The wait before attempt `attempt + 1`: uniform in [0, min(max, base * 2^(attempt-1))]. */
export function backoffDelay(attempt: number, policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs' | 'random'>): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1))
  return Math.floor(policy.random() * ceiling)
}

/**
 * Runs `fn` until it succeeds, fails with a non-retryable error, runs out of attempts, or the next
 * wait would pass the deadline. The last error is rethrown as it is.
 */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, policy: RetryPolicy, hooks: RetryHooks): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt)
    } catch (error) {
      if (attempt >= policy.maxAttempts || !hooks.isRetryable(error)) throw error
      const delayMs = backoffDelay(attempt, policy)
      if (policy.now() + delayMs >= policy.deadline) throw error
      hooks.onRetry?.({ attempt, delayMs, error })
      await policy.sleep(delayMs)
    }
  }
}
