import { createReadStream } from 'node:fs'
import type { ServerResponse } from 'node:http'
import { pipeline } from 'node:stream/promises'
import { OssError } from '../../server/responses.js'

interface ByteRange {
  start: number
  end: number
}

interface ByteRange {
  start: number
  end: number
}

/** A single `bytes=` range as OSS reads it: a malformed header is ignored, an impossible one is refused. */
function parseRange(header: string | undefined, size: number): ByteRange | undefined {
  const match = header === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim())
  if (!match || (match[1] === '' && match[2] === '')) return undefined
  const [first, last] = [match[1] ?? '', match[2] ?? '']
  const range =
    first === ''
      ? { start: Math.max(0, size - Number(last)), end: size - 1 }
      : { start: Number(first), end: last === '' ? size - 1 : Math.min(Number(last), size - 1) }
  if (range.start > range.end || range.start >= size) {
    throw new OssError(416, 'InvalidRange', 'The requested range cannot be satisfied.')
  }
  return range
}

/**
 * Answers a stored object's bytes, or the one range the `range` header asks for (206); HEAD answers
 * the headers only. Returns the status.
 */
export async function sendObjectBytes(
  res: ServerResponse,
  object: { path: string; size: number },
  headers: Record<string, string | number>,
  rangeHeader: string | undefined,
  head: boolean
): Promise<number> {
  const range = parseRange(rangeHeader, object.size)
  const status = range ? 206 : 200
  res.writeHead(status, {
    ...headers,
    'content-length': range ? range.end - range.start + 1 : object.size,
    ...(range && { 'content-range': `bytes ${range.start}-${range.end}/${object.size}` })
  })
  if (head) res.end()
  else await pipeline(createReadStream(object.path, range), res).catch(() => undefined)
  return status
}
