/**
 * How fast the actions talk to the platform: pacing and backoff, on the platform's clock. Against
 * the emulator run with a scaled minute they shrink with it, as far as its real-time QPS allows.
 */
import { MINUTE_MS } from './job-rules.js'

/**
 * The publish action's client-side pacing: one run stays under this many calls per second, so that
 * a matrix of runs sharing the account's 10 QPS mostly paces itself instead of being throttled. Its
 * few calls never wait (a burst of this many is allowed).
 */
export const PUBLISH_QPS = 4
/** The job actions poll for minutes: one call a second, so a dozen legs settle well under 10 QPS. */
const JOB_CALL_SPACING_MS = 1000
/**
 * Reads made by the hundred at a stage's start or a health check (the fleet, device states, module
 * versions): five a second, half the account's 10 QPS, so that 100,000 devices are read in minutes.
 */
const BULK_CALL_SPACING_MS = 200
/** QueryDevice past row 100,000 (CurrentPage × PageSize) is documented at 2 QPS: a little slower than that, on any clock. */
const DEEP_QUERY_SPACING_MS = 600
const DEEP_QUERY_ROWS = 100_000
const BULK_READS: ReadonlySet<string> = new Set(['QueryDevice', 'BatchGetDeviceState', 'ListOTAModuleVersionsByDevice'])

/** Which pace a call keeps: the polls', the bulk reads', or deep QueryDevice pages'. */
export type PaceClass = 'poll' | 'bulk' | 'deep'

export function paceClassOf(action: string, query: Readonly<Record<string, string>>): PaceClass {
  if (!BULK_READS.has(action)) return 'poll'
  const rows = Number(query.CurrentPage ?? 1) * Number(query.PageSize ?? 10)
  return action === 'QueryDevice' && rows >= DEEP_QUERY_ROWS ? 'deep' : 'bulk'
}
/** Full-jitter backoff between attempts: the first retry waits up to this long, and no wait longer than the max. */
const RETRY_DELAY_MS = { base: 1000, max: 20_000 } as const
/**
 * The emulator's QPS limit counts real time (10 calls in any second per AccessKey): on its scaled
 * clock calls stay this far apart at least (8 a second: one run stays under the limit; runs at once
 * are throttled now and then and retry), and a backoff can still outlast the one-second window.
 */
const REHEARSAL_FLOOR_MS = { callSpacing: 125, retryBase: 250, retryMax: 2000 } as const

export interface Pace {
  /** The job actions' spacing between two calls. */
  readonly jobCallSpacingMs: number
  /** Their spacing between two bulk reads, and between two deep QueryDevice pages. */
  readonly bulkCallSpacingMs: number
  readonly deepQuerySpacingMs: number
  readonly retryBaseDelayMs: number
  readonly retryMaxDelayMs: number
}

/** `ms` of the platform's time as real time on a clock whose minute lasts `minuteMs`, never below `floor`. */
function onClock(ms: number, minuteMs: number, floor: number): number {
  return minuteMs >= MINUTE_MS ? ms : Math.max(floor, Math.round((ms * minuteMs) / MINUTE_MS))
}

/** The pace on a platform whose minute lasts `minuteMs` (60,000 but for the emulator's scaled clock). */
export function paceFor(minuteMs: number): Pace {
  return {
    jobCallSpacingMs: onClock(JOB_CALL_SPACING_MS, minuteMs, REHEARSAL_FLOOR_MS.callSpacing),
    bulkCallSpacingMs: onClock(BULK_CALL_SPACING_MS, minuteMs, REHEARSAL_FLOOR_MS.callSpacing),
    // The emulator holds deep pages to 2 QPS in real time too: no scaling.
    deepQuerySpacingMs: DEEP_QUERY_SPACING_MS,
    retryBaseDelayMs: onClock(RETRY_DELAY_MS.base, minuteMs, REHEARSAL_FLOOR_MS.retryBase),
    retryMaxDelayMs: onClock(RETRY_DELAY_MS.max, minuteMs, REHEARSAL_FLOOR_MS.retryMax)
  }
}
