import { createHash, Hash } from 'node:crypto'
import { open } from 'node:fs/promises'
import type { SignMethod } from '../platform/rules.js'

export type Digests = Partial<Record<SignMethod, string>>

const ALGORITHM: Record<SignMethod, string> = { MD5: 'md5', SHA256: 'sha256' }

/** Hashes fed chunk by chunk, so a file is digested in the same pass that uploads it. */
export class MultiHasher {
  private readonly hashes: [SignMethod, Hash][]

  constructor(methods: readonly SignMethod[]) {
    this.hashes = [...new Set(methods)].map((m) => [m, createHash(ALGORITHM[m])])
  }

  update(chunk: Buffer): void {
    for (const [, hash] of this.hashes) hash.update(chunk)
  }

  digest(): Digests {
    const out: Digests = {}
    for (const [method, hash] of this.hashes) out[method] = hash.digest('hex')
    return out
  }
}

/**
 * Bytes per read: 500 reads for a 1000 MB file, so per-read overhead vanishes while the buffers stay
 * small. 1 to 4 MiB measured alike, 256 KiB and less slower (BENCHMARKS.md).
 */
export const READ_CHUNK_BYTES = 2 * 1024 * 1024

/**
 * Buffers in rotation: one being read ahead, one being hashed, the rest queued on the connection.
 * Memory stays at READ_BUFFERS × READ_CHUNK_BYTES whatever the file size.
 */
const READ_BUFFERS = 4

/** The file's size turned out other than expected while it was read. */
export class FileChangedError extends Error {
  constructor(
    readonly path: string,
    readonly expectedSize: number,
    /** Bytes found; more than expected when the file grew (reading stops right after its expected end). */
    readonly actualSize: number
  ) {
    super(`${path} changed while it was read (expected ${expectedSize} bytes, found ${actualSize > expectedSize ? 'more' : actualSize})`)
    this.name = 'FileChangedError'
  }
}

interface ReadChunksOptions {
  /** Fail with FileChangedError unless the file has exactly this many bytes; never read past them. */
  expectedSize?: number
  chunkBytes?: number
  buffers?: number
}

const ignore = (): void => undefined

/**
 * Reads a file once, front to back, through a few reused buffers, handing each chunk to `consume`.
 * The next read is already under way while `consume` runs. A chunk's buffer is read into again only
 * once the promise `consume` returned for it has settled, so a consumer may leave the chunk queued
 * (on a socket, say) until then. Returns the number of bytes read.
 */
export async function readChunks(path: string, consume: (chunk: Buffer) => void | Promise<void>, options: ReadChunksOptions = {}): Promise<number> {
  const chunkBytes = options.chunkBytes ?? READ_CHUNK_BYTES
  const pool = Array.from({ length: Math.max(2, options.buffers ?? READ_BUFFERS) }, () => Buffer.allocUnsafeSlow(chunkBytes))
  // What each buffer's consumer is still doing with it.
  const busy: (Promise<void> | undefined)[] = pool.map(() => undefined)
  const limit = options.expectedSize
  const file = await open(path, 'r')
  let next: Promise<number> | undefined
  // The read actually issued: the file is closed only once it is over.
  let reading: Promise<unknown> | undefined
  try {
    let position = 0
    let slot = 0
    // Issued at once when the buffer is free, so the read runs while the caller hashes and sends.
    const readInto = (index: number, at: number): Promise<number> => {
      const buffer = pool[index] as Buffer
      // Past the expected end, one byte tells whether the file grew.
      const length = limit === undefined ? chunkBytes : Math.max(1, Math.min(chunkBytes, limit - at))
      const start = (): Promise<number> => {
        const read = file.read(buffer, 0, length, at).then((r) => r.bytesRead)
        reading = read
        return read
      }
      const wait = busy[index]
      return wait ? wait.then(start) : start()
    }
    next = readInto(slot, position)
    for (;;) {
      const bytes = await next
      next = undefined
      if (bytes === 0) break
      if (limit !== undefined && position + bytes > limit) throw new FileChangedError(path, limit, position + bytes)
      const chunk = (pool[slot] as Buffer).subarray(0, bytes)
      position += bytes
      const following = (slot + 1) % pool.length
      next = readInto(following, position)
      const done = consume(chunk)
      if (done) done.catch(ignore)
      busy[slot] = done || undefined
      slot = following
    }
    if (limit !== undefined && position !== limit) throw new FileChangedError(path, limit, position)
    await Promise.all(busy)
    return position
  } finally {
    // A read chained behind a consumer that never finishes fails on the closed file, unseen.
    next?.catch(ignore)
    await reading?.catch(ignore)
    await file.close()
  }
}

/** Digests a whole file in one pass, without holding it in memory. */
export async function digestFile(path: string, methods: readonly SignMethod[]): Promise<{ size: number; digests: Digests }> {
  const hasher = new MultiHasher(methods)
  const size = await readChunks(path, (chunk) => hasher.update(chunk))
  return { size, digests: hasher.digest() }
}
