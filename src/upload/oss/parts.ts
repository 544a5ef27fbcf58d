/** The parts of a multipart upload and which of them are done. Pure. */

/** One part: its number (from 1) and the file's bytes `start` to `end` (exclusive). */
export interface PartRange {
  readonly number: number
  readonly start: number
  readonly end: number
}

/** A part OSS has stored, as CompleteMultipartUpload lists it. */
export interface CompletedPart {
  readonly number: number
  readonly etag: string
}

/** The file cut into parts of `partBytes`, the last one shorter. */
export function partRanges(size: number, partBytes: number): PartRange[] {
  const parts: PartRange[] = []
  for (let start = 0, number = 1; start < size; start += partBytes, number++) {
    parts.push({ number, start, end: Math.min(start + partBytes, size) })
  }
  return parts
}

/** The parts still to send: OSS has stored the others (their ETags are in `done`), so they are never sent again. */
export function remainingParts(parts: readonly PartRange[], done: ReadonlyMap<number, string>): PartRange[] {
  return parts.filter((part) => !done.has(part.number))
}

/** Bytes OSS has stored, for the progress lines. */
export function storedBytes(parts: readonly PartRange[], done: ReadonlyMap<number, string>): number {
  return parts.reduce((sum, part) => (done.has(part.number) ? sum + part.end - part.start : sum), 0)
}

/** CompleteMultipartUpload's list, in part order; fails when a part is missing (OSS would make a shorter object). */
export function completionList(parts: readonly PartRange[], done: ReadonlyMap<number, string>): CompletedPart[] {
  return parts.map((part) => {
    const etag = done.get(part.number)
    if (etag === undefined) throw new Error(`part ${part.number} of ${parts.length} was not uploaded`)
    return { number: part.number, etag }
  })
}
