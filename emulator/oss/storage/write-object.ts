import { createHash } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import { dirname } from 'node:path'
import { Transform, type Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { Crc64 } from '../../../src/crc64.js'
import { OssError } from '../../server/responses.js'

/** Large buffers keep a 1 GB upload fast; memory stays flat because the bytes stream to disk. */
const STREAM_BUFFER_BYTES = 2 * 1024 * 1024

/** Bytes written to disk, with the digests computed on the way. */
export interface WrittenFile {
  path: string
  size: number
  /** Lower-case hex. */
  md5: string
  sha256: string
  /** Decimal CRC-64/ECMA-182. */
  crc64: string
}

/**
 * Streams `source` to `path`, computing MD5, SHA-256 and CRC-64 in the same pass. Over `maxBytes`
 * fails with EntityTooLarge; on any failure the partial file is removed.
 */
export async function writeObjectFile(source: Readable | AsyncIterable<Buffer>, path: string, maxBytes: number): Promise<WrittenFile> {
  const md5 = createHash('md5')
  const sha256 = createHash('sha256')
  const crc = new Crc64()
  let size = 0
  const digest = new Transform({
    highWaterMark: STREAM_BUFFER_BYTES,
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length
      if (size > maxBytes) {
        done(new OssError(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size.'))
        return
      }
      md5.update(chunk)
      sha256.update(chunk)
      crc.update(chunk)
      done(null, chunk)
    }
  })
  await mkdir(dirname(path), { recursive: true })
  try {
    await pipeline(source, digest, createWriteStream(path, { highWaterMark: STREAM_BUFFER_BYTES }))
  } catch (error) {
    await rm(path, { force: true })
    throw error
  }
  return { path, size, md5: md5.digest('hex'), sha256: sha256.digest('hex'), crc64: crc.digest() }
}
