import { TASK_STATUSES } from '../platform/job-rules.js'
import type { StatusCounts } from '../jobs/tasks.js'

/** Devices done with their task, whatever the outcome. */
export function finishedOf(counts: StatusCounts): number {
  return counts.SUCCEEDED + counts.FAILED + counts.CANCELED
}

/** `Job J (IN_PROGRESS): 120 of 1000 finished (12%): SUCCEEDED 110, FAILED 10, QUEUED 800, ...` (zero counts left out). */
export function progressLine(jobId: string, jobStatus: string, counts: StatusCounts, total: number): string {
  const finished = finishedOf(counts)
  const percent = total === 0 ? 0 : Math.floor((finished / total) * 100)
  const parts = TASK_STATUSES.filter((s) => counts[s] > 0).map((s) => `${s} ${counts[s]}`)
  return `Job ${jobId} (${jobStatus}): ${finished} of ${total} finished (${percent}%)${parts.length ? `: ${parts.join(', ')}` : ''}`
}

/**
 * Whether to log progress now: the first time, then once both a tenth of the targeted devices
 * more have finished and a minute has passed (whichever comes later), so logs stay short at any size.
 */
export function createProgressGate(stepFraction = 0.1, minIntervalMs = 60_000): (finished: number, total: number, now: number) => boolean {
  let last: { finished: number; at: number } | undefined
  return (finished, total, now) => {
    const due = last === undefined || (finished - last.finished >= Math.max(1, Math.ceil(total * stepFraction)) && now - last.at >= minIntervalMs)
    if (due) last = { finished, at: now }
    return due
  }
}
