/**
 * A multipart upload as our own loop over OSS's operations, each request retried on its own (by
 * the bucket object): a failed part costs one part again, not the whole file, so a large upload
 * survives as many faults as a small one. It never leaves an upload open behind it.
 */
import { ActionError, describeError } from '../../contract/action-error.js'
import { formatBytes } from '../../report/format.js'
import { completionList, partRanges, remainingParts, storedBytes, type CompletedPart, type PartRange } from './parts.js'
import { startOnServerClock, uploadsToAbort, type OpenUpload } from './open-uploads.js'

/** 16 MiB parts: a 1,000 MB file is 63 parts, well under OSS's 10,000. */
export const PART_BYTES = 16 * 1024 * 1024
const PARALLEL_PARTS = 4

/** The requests the loop makes; each one is already retried on its own and stops when `stop` fires. */
export interface MultipartRequests {
  /** InitiateMultipartUpload; `onUnknown` is told when an attempt may have opened an upload without saying so. */
  initiate(stop: AbortSignal, onUnknown: () => void): Promise<string>
  /** UploadPart, the range read from the file on each attempt; its ETag. */
  uploadPart(uploadId: string, part: PartRange, total: number, stop: AbortSignal): Promise<string>
  /**
   * CompleteMultipartUpload; undefined when it completed, or the refusal of a retry after an attempt
   * whose answer was lost (`NoSuchUpload`: that attempt may have completed it).
   */
  complete(uploadId: string, parts: readonly CompletedPart[], stop: AbortSignal): Promise<Error | undefined>
  /** AbortMultipartUpload; an upload that is gone already counts as aborted. */
  abort(uploadId: string): Promise<void>
  /** ListMultipartUploads of the key, with the answer's `Date` header and the runner's time on receiving it. */
  listOpen(): Promise<{ uploads: OpenUpload[]; date?: string; answeredAt: number }>
  /** Whether the object at the key now holds the file (size and CRC-64), by HeadObject. */
  holdsFile(): Promise<boolean>
}

export interface MultipartContext {
  key: string
  location: string
  size: number
  now: () => number
  /** The run's deadline (or cancel): no part starts after it, those in flight are cut. */
  cancel: AbortSignal
  report: (bytesStored: number) => void
  log: { info(message: string): void; warning(message: string): void }
}

/** What the run knows of its upload, for the clean-up. */
interface Session {
  readonly startedAt: number
  uploadId?: string
  completed: boolean
  /** An InitiateMultipartUpload may have opened an upload whose id this run never learnt. */
  initiateUnknown: boolean
}

/** Sends the parts, `PARALLEL_PARTS` at a time; the first failure stops the others and is thrown. */
async function sendParts(parts: readonly PartRange[], send: (part: PartRange) => Promise<void>, stop: AbortController): Promise<void> {
  const queue = [...parts]
  let failure: { error: unknown } | undefined
  const worker = async (): Promise<void> => {
    for (let part = queue.shift(); part !== undefined && !stop.signal.aborted; part = queue.shift()) {
      try {
        await send(part)
      } catch (error) {
        failure ??= { error }
        stop.abort()
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(PARALLEL_PARTS, queue.length) }, worker))
  if (failure) throw failure.error
  // Cancelled between two parts: nothing failed, but parts are missing.
  if (queue.length > 0) throw new Error('the multipart upload was cancelled')
}

/** Initiate, the parts, Complete; the session records what the clean-up needs. */
async function run(requests: MultipartRequests, context: MultipartContext, session: Session, stop: AbortController): Promise<void> {
  const parts = partRanges(context.size, PART_BYTES)
  const done = new Map<number, string>()
  const uploadId = await requests.initiate(stop.signal, () => (session.initiateUnknown = true))
  session.uploadId = uploadId
  await sendParts(
    remainingParts(parts, done),
    async (part) => {
      done.set(part.number, await requests.uploadPart(uploadId, part, parts.length, stop.signal))
      context.report(storedBytes(parts, done))
    },
    stop
  )
  const refused = await requests.complete(uploadId, completionList(parts, done), stop.signal)
  if (refused !== undefined) {
    // The earlier attempt completed the upload if the object now holds the file.
    if (!(await requests.holdsFile())) throw refused
    context.log.info(`The answer to CompleteMultipartUpload was lost, and ${context.location} holds the file: the upload completed.`)
  }
  session.completed = true
}

/** The uploads to abort: this run's open one unless it completed, and those a lost answer to an Initiate left open. */
async function toAbort(requests: MultipartRequests, context: MultipartContext, session: Session): Promise<string[]> {
  const known = session.uploadId !== undefined && !session.completed ? [session.uploadId] : []
  if (!session.initiateUnknown) return known
  try {
    const listed = await requests.listOpen()
    const since = startOnServerClock(session.startedAt, listed.answeredAt, listed.date)
    const completed = session.completed ? session.uploadId : undefined
    return [...new Set([...known, ...uploadsToAbort(listed.uploads, { key: context.key, since, completed })])]
  } catch (error) {
    const hint = error instanceof ActionError && error.hint ? ` ${error.hint}` : ''
    context.log.warning(
      `Could not list the open multipart uploads of ${context.location} (${describeError(error)}): an InitiateMultipartUpload whose answer was lost may have left one open, whose parts are billed until it is aborted.${hint}`
    )
    return known
  }
}

/** Aborts what this run started and did not finish; never throws (the upload's own outcome stands). */
async function cleanUp(requests: MultipartRequests, context: MultipartContext, session: Session): Promise<void> {
  for (const uploadId of await toAbort(requests, context, session)) {
    try {
      await requests.abort(uploadId)
      context.log.info(`Aborted the unfinished multipart upload ${uploadId} of ${context.location}.`)
    } catch (error) {
      context.log.warning(`Could not abort the unfinished multipart upload ${uploadId} of ${context.location}: ${describeError(error)}`)
    }
  }
}

/** Uploads the file in parts, resuming past every failed request, and aborts whatever of it stays open. */
export async function uploadInParts(requests: MultipartRequests, context: MultipartContext): Promise<void> {
  const { log, location, size } = context
  log.info(`Uploading ${formatBytes(size)} to ${location} in ${Math.ceil(size / PART_BYTES)} parts, ${PARALLEL_PARTS} at a time`)
  const session: Session = { startedAt: context.now(), completed: false, initiateUnknown: false }
  const stop = new AbortController()
  const cancel = (): void => stop.abort()
  if (context.cancel.aborted) cancel()
  context.cancel.addEventListener('abort', cancel, { once: true })
  try {
    await run(requests, context, session, stop)
  } finally {
    context.cancel.removeEventListener('abort', cancel)
    await cleanUp(requests, context, session)
  }
}
