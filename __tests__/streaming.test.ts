import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createHash, randomBytes } from 'node:crypto'
import { appendFileSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { digestFile, FileChangedError, readChunks } from '../src/files/digest.js'
import { sendRequest, TransportError } from '../src/net/transport.js'
import type { UploadTicket } from '../src/platform/client.js'
import { postObject } from '../src/upload/platform/post-object.js'
import { createPacer } from '../src/net/pacer.js'

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

describe('postObject', () => {
  let server: Server
  let url = ''
  const bodies: Buffer[] = []
  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        bodies.push(Buffer.concat(chunks))
        res.writeHead(200, { etag: '"ABC"', 'content-length': 0 })
        res.end()
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/iotx-ota`
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  const ticket: UploadTicket = { Host: '', Key: 'ota/k/fw.bin', OSSAccessKeyId: 'id', Policy: 'cG9saWN5', Signature: 'sig', FirmwareUrl: 'https://x/ota/k/fw.bin' }

  it('sends the form with the file streamed in the middle, and digests it on the way', async () => {
    const data = randomBytes(5 * 1024 * 1024 + 3)
    const path = file('fw.bin', data)
    const progress: number[] = []
    const result = await postObject({ ...ticket, Host: url }, { path, size: data.length }, {
      signMethods: ['MD5', 'SHA256'],
      idleTimeoutMs: 10_000,
      send: sendRequest,
      onProgress: (sent) => progress.push(sent)
    })
    expect(result.size).toBe(data.length)
    expect(result.digests.MD5).toBe(md5(data))
    expect(result.etag).toBe('ABC')
    expect(progress.at(-1)).toBe(data.length)
    const body = bodies.at(-1) as Buffer
    const start = body.indexOf('\r\n\r\n', body.indexOf('name="file"')) + 4
    expect(body.subarray(start, start + data.length).equals(data)).toBe(true)
    expect(body.subarray(start + data.length).toString()).toMatch(/^\r\n--.*--\r\n$/)
    expect(body.subarray(0, start).toString()).toContain('name="key"\r\n\r\nota/k/fw.bin\r\n')
  })

  it('fails, without sending more than promised, when the file grows during the upload', async () => {
    const data = randomBytes(4 * 1024 * 1024)
    const path = file('growing.bin', data)
    const upload = postObject({ ...ticket, Host: url }, { path, size: data.length - 1000 }, {
      signMethods: ['MD5'],
      idleTimeoutMs: 10_000,
      send: sendRequest
    })
    await expect(upload).rejects.toThrow(/changed while it was uploaded \(expected 4193304 bytes, found more\)/)
  })

  it('fails when the file shrinks during the upload', async () => {
    const path = file('shrinking.bin', randomBytes(1000))
    truncateSync(path, 10)
    appendFileSync(path, 'x')
    await expect(
      postObject({ ...ticket, Host: url }, { path, size: 1000 }, { signMethods: ['MD5'], idleTimeoutMs: 10_000, send: sendRequest })
    ).rejects.toThrow(/expected 1000 bytes, found 11/)
  })

  it('reports a connection refused as a retryable transport error', async () => {
    const path = file('refused.bin', randomBytes(100))
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise<void>((resolve) => closed.close(() => resolve()))
    const upload = postObject({ ...ticket, Host: `http://127.0.0.1:${port}/iotx-ota` }, { path, size: 100 }, {
      signMethods: ['MD5'],
      idleTimeoutMs: 10_000,
      send: sendRequest
    })
    await expect(upload).rejects.toBeInstanceOf(TransportError)
  })
})

describe('createPacer with a burst', () => {
  it('lets `burst` calls through at once, then keeps to `burst` per window', async () => {
    let clock = 0
    const waits: number[] = []
    const pace = createPacer(4, () => clock, async (ms) => {
      waits.push(ms)
      clock += ms
    }, 4)
    for (let i = 0; i < 4; i++) await pace()
    expect(waits).toEqual([])
    clock = 300
    await pace()
    // The fifth call waits until a second after the first.
    expect(waits).toEqual([700])
  })
})
