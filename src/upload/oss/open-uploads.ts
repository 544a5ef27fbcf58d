/**
 * Which open multipart uploads a run must abort. Pure. Parts of an upload that is neither completed
 * nor aborted are stored, and billed, until someone aborts it.
 */

/** An upload as ListMultipartUploads shows it. */
export interface OpenUpload {
  readonly key: string
  readonly uploadId: string
  /** `Initiated`, ISO 8601 on OSS's clock. */
  readonly initiated: string
}

/**
 * When the run's upload started, on OSS's clock: `startedAt` (the runner's clock) moved by the
 * runner's offset from OSS, read from an answer's `Date` header and the runner's time on receiving
 * it. `Date` counts whole seconds and comes before the answer, so the offset is never
 * overestimated and the start is rounded down: an upload of this run is never taken for an older one.
 */
export function startOnServerClock(startedAt: number, answeredAt: number, dateHeader: string | undefined): number {
  const serverTime = dateHeader === undefined ? Number.NaN : Date.parse(dateHeader)
  const offset = Number.isNaN(serverTime) ? 0 : serverTime - answeredAt
  return Math.floor((startedAt + offset) / 1000) * 1000
}

/**
 * The uploads this run started and did not finish: the key's own (the listing by prefix also shows
 * longer keys), initiated since the run's upload started (`since`, on OSS's clock), and not the one
 * that completed. Older ones belong to someone else (another run, a person) and are left alone.
 */
export function uploadsToAbort(listed: readonly OpenUpload[], run: { key: string; since: number; completed?: string }): string[] {
  // Whole seconds on both sides: OSS may write Initiated without milliseconds.
  const second = (ms: number): number => Math.floor(ms / 1000)
  return listed
    .filter((upload) => upload.key === run.key && upload.uploadId !== run.completed)
    .filter((upload) => {
      const initiated = Date.parse(upload.initiated)
      return !Number.isNaN(initiated) && second(initiated) >= second(run.since)
    })
    .map((upload) => upload.uploadId)
}
