import { afterAll, describe, expect, it } from '@jest/globals'
import { createHash, randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { digestFile, FileChangedError, readChunks } from '../../../src/files/digest.js'

const dir = mkdtempSync(join(tmpdir(), 'ota-streaming-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function file(name: string, bytes: Buffer): string {
  const path = join(dir, name)
  writeFileSync(path, bytes)
  return path
}

const md5 = (b: Buffer): string => createHash('md5').update(b).digest('hex')
const tick = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

describe('readChunks', () => {
  it('reads the whole file once, in order, through reused buffers', async () => {
    const data = randomBytes(10_000)
    const path = file('order.bin', data)
    const seen: Buffer[] = []
    const size = await readChunks(path, (chunk) => void seen.push(Buffer.from(chunk)), { chunkBytes: 1024, buffers: 2 })
    expect(size).toBe(10_000)
    expect(seen).toHaveLength(10)
    expect(Buffer.concat(seen).equals(data)).toBe(true)
  })

  it('does not read into a buffer before its consumer is done with it', async () => {
    const data = randomBytes(8 * 1000)
    const path = file('slow.bin', data)
    const copies: Buffer[] = []
    let offset = 0
    await readChunks(
      path,
      (chunk) => {
        const at = offset
        offset += chunk.length
        // The chunk is still intact when the consumer finally looks at it.
        return tick(5).then(() => {
          expect(chunk.equals(data.subarray(at, at + chunk.length))).toBe(true)
          copies.push(Buffer.from(chunk))
        })
      },
      { chunkBytes: 1000, buffers: 3 }
    )
    expect(Buffer.concat(copies).equals(data)).toBe(true)
  })

  it('fails when the file is shorter or longer than expected, without reading past the end', async () => {
    const path = file('sized.bin', randomBytes(5000))
    await expect(readChunks(path, () => undefined, { expectedSize: 6000, chunkBytes: 1024 })).rejects.toThrow(FileChangedError)
    let read = 0
    const grown = readChunks(path, (chunk) => void (read += chunk.length), { expectedSize: 4000, chunkBytes: 1024 })
    await expect(grown).rejects.toThrow(/expected 4000 bytes, found more/)
    expect(read).toBe(4000)
  })

  it('stops at the first failing consumer and passes its error on', async () => {
    const path = file('failing.bin', randomBytes(5000))
    let calls = 0
    const failed = readChunks(
      path,
      () => {
        calls++
        return calls === 2 ? Promise.reject(new Error('socket gone')) : undefined
      },
      { chunkBytes: 1000, buffers: 2 }
    )
    await expect(failed).rejects.toThrow('socket gone')
    expect(calls).toBeLessThanOrEqual(4)
  })
})

describe('digestFile', () => {
  it('gives the digests of the whole file', async () => {
    const data = randomBytes(3 * 1024 * 1024 + 17)
    const path = file('digest.bin', data)
    const result = await digestFile(path, ['MD5', 'SHA256'])
    expect(result).toEqual({
      size: data.length,
      digests: { MD5: md5(data), SHA256: createHash('sha256').update(data).digest('hex') }
    })
  })

  it('handles an empty file', async () => {
    expect(await digestFile(file('empty.bin', Buffer.alloc(0)), ['MD5'])).toEqual({ size: 0, digests: { MD5: md5(Buffer.alloc(0)) } })
  })
})
