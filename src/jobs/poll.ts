import { MINUTE_MS } from '../platform/job-rules.js'

/** How a follow loop paces itself. A dozen matrix legs may follow jobs on the same account at once. */
export interface PollPacing {
  /** The wait after the first poll. */
  readonly firstDelayMs: number
  /** Each wait is this many times the last one... */
  readonly factor: number
  /** ...up to this. */
  readonly maxDelayMs: number
}

/**
 * Start at a few seconds, back off to 30 s (the client spaces the calls themselves a second apart):
 * a dozen legs settle well under the account's 10 QPS (QueryOTAJob and ListOTATaskByJob share it).
 */
export const POLL_PACING: PollPacing = { firstDelayMs: 3000, factor: 1.5, maxDelayMs: 30_000 }

export interface Clock {
  now(): number
  sleep(ms: number): Promise<void>
}

/**
 * The pacing on a platform whose minute lasts `minuteMs` (the emulator's scaled clock): the waits
 * between polls shrink with the minute.
 */
export function pacingFor(minuteMs: number, pacing: PollPacing = POLL_PACING): PollPacing {
  const scale = Math.min(1, minuteMs / MINUTE_MS)
  return { ...pacing, firstDelayMs: Math.round(pacing.firstDelayMs * scale), maxDelayMs: Math.round(pacing.maxDelayMs * scale) }
}

/** The instant `minutes` of the platform's minutes from now: the end of a `wait-minutes`. */
export function deadlineIn(minutes: number, deps: { readonly clock: Clock; readonly minuteMs: number }): number {
  return deps.clock.now() + minutes * deps.minuteMs
}

/** The wait before the poll after one that waited `previous` (undefined: the first). */
export function nextDelay(previous: number | undefined, pacing: PollPacing): number {
  return previous === undefined ? pacing.firstDelayMs : Math.min(pacing.maxDelayMs, Math.round(previous * pacing.factor))
}

interface PollStep<T> {
  readonly done: boolean
  readonly value: T
}

interface PollEnd<T> {
  readonly value: T
  /** The deadline came before `done`. */
  readonly timedOut: boolean
}

/**
 * Polls until a step says done or the deadline passes (the last poll is at the deadline, so a
 * state reached just then still counts). Errors of a poll end the loop (each call was retried by the client already).
 */
export async function pollUntil<T>(poll: () => Promise<PollStep<T>>, deadline: number, clock: Clock, pacing: PollPacing): Promise<PollEnd<T>> {
  let delay: number | undefined
  for (;;) {
    const step = await poll()
    if (step.done) return { value: step.value, timedOut: false }
    const now = clock.now()
    if (now >= deadline) return { value: step.value, timedOut: true }
    delay = nextDelay(delay, pacing)
    await clock.sleep(Math.min(delay, deadline - now))
  }
}
