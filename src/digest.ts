import { createHash, Hash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import type { SignMethod } from './api-rules.js'

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

/** Reading in 1 MiB chunks: larger than the default 64 KiB, so fewer calls per GB. */
export const READ_CHUNK_BYTES = 1024 * 1024

/** Digests a whole file without holding it in memory. */
export async function digestFile(path: string, methods: readonly SignMethod[]): Promise<{ size: number; digests: Digests }> {
  const hasher = new MultiHasher(methods)
  let size = 0
  for await (const chunk of createReadStream(path, { highWaterMark: READ_CHUNK_BYTES })) {
    const buf = chunk as Buffer
    size += buf.length
    hasher.update(buf)
  }
  return { size, digests: hasher.digest() }
}
