/** How long an OTA minute lasts unless told otherwise: a verification plays in seconds. */
export const DEFAULT_MINUTE_MS = 1000

/** One documented minute; ScheduleTime and the schedule window are written in real milliseconds. */
export const REAL_MINUTE_MS = 60_000

/**
 * The emulator's job clock: every "minute" a device or a job waits lasts `minuteMs` real
 * milliseconds, so a test plays an hour-long rollout in a second. Timestamps stay real (they
 * appear in answers and are compared with the caller's clock); only durations are scaled.
 */
export class JobClock {
  constructor(
    /** When the fleet's minute 0 was (devices' `onlineAtMinute` counts from here). */
    readonly origin: number,
    readonly minuteMs: number
  ) {
    if (!Number.isInteger(minuteMs) || minuteMs < 1) throw new Error(`minuteMs must be a positive whole number, got ${minuteMs}.`)
  }

  /** The instant `minutes` scaled minutes after `from`. */
  after(from: number, minutes: number): number {
    return from + minutes * this.minuteMs
  }

  /** Whole scaled minutes from `from` to `now` (negative before `from`). */
  minutesBetween(from: number, now: number): number {
    return Math.floor((now - from) / this.minuteMs)
  }

  /** The fleet's minute `minute` as an instant. */
  minute(minute: number): number {
    return this.after(this.origin, minute)
  }

  /** A real delay the caller asked for (ScheduleTime − now) played on the scaled clock. */
  scaledDelay(realDelayMs: number): number {
    return Math.round((realDelayMs / REAL_MINUTE_MS) * this.minuteMs)
  }
}
