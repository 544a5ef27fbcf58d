import type { Logger } from '../report/logger.js'
import type { JobsApi } from './api.js'
import type { Clock, PollPacing } from './poll.js'

/** Runs one operation with the action's retry policy (throttling, 5xx, network), naming it in the log. */
type Retry = <T>(operation: string, fn: () => Promise<T>) => Promise<T>

/** What the verify and rollout steps need from the outside, injected so tests fake it. */
export interface JobDeps {
  readonly api: JobsApi
  readonly retry: Retry
  /** Whether a failed call may have taken effect anyway (answer lost, 5xx): look before resending. */
  readonly isAmbiguous: (error: unknown) => boolean
  readonly clock: Clock
  /** How long one of the platform's minutes lasts: 60,000 ms, or the emulator's scaled minute. */
  readonly minuteMs: number
  readonly pacing: PollPacing
  readonly log: Logger
  /** Told the job's id as soon as it is known (created or found), so a failure later can still name it. */
  readonly onJob?: (jobId: string) => void
}
