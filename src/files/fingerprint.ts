import { createReadStream } from 'node:fs'
import type { SignMethod } from '../platform/rules.js'
import { Crc64 } from './crc64.js'
import { Digests, MultiHasher, READ_CHUNK_BYTES } from './digest.js'

/** A file's size, digests and OSS CRC-64, from one read. */
export interface FileFingerprint {
  size: number
  /** Lower-case hex by method; MD5 always (Content-MD5 and comparisons need it). */
  digests: Digests & { MD5: string }
  /** Decimal, as `x-oss-hash-crc64ecma`. */
  crc64: string
}

/** Reads the file once, feeding every digest the OSS upload and CreateOTAFirmware need. */
export async function fingerprintFile(path: string, methods: readonly SignMethod[]): Promise<FileFingerprint> {
  const hasher = new MultiHasher(['MD5', ...methods])
  const crc = new Crc64()
  let size = 0
  for await (const chunk of createReadStream(path, { highWaterMark: READ_CHUNK_BYTES })) {
    const buf = chunk as Buffer
    size += buf.length
    hasher.update(buf)
    crc.update(buf)
  }
  const digests = hasher.digest()
  return { size, digests: { ...digests, MD5: digests.MD5 ?? '' }, crc64: crc.digest() }
}
