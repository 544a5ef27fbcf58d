import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import { appendFileSync, truncateSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { sendRequest, TransportError } from '../../../../src/net/transport.js'
import type { UploadTicket } from '../../../../src/platform/models.js'
import { md5, tempFiles } from '../../../support/temp-files.js'
import { postObject } from '../../../../src/upload/platform/post-object.js'

const { file } = tempFiles('ota-streaming-')

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

  const ticket: UploadTicket = {
    Host: '',
    Key: 'ota/k/fw.bin',
    OSSAccessKeyId: 'id',
    Policy: 'cG9saWN5',
    Signature: 'sig',
    FirmwareUrl: 'https://x/ota/k/fw.bin'
  }

  it('sends the form with the file streamed in the middle, and digests it on the way', async () => {
    const data = randomBytes(5 * 1024 * 1024 + 3)
    const path = file('fw.bin', data)
    const progress: number[] = []
    const result = await postObject(
      { ...ticket, Host: url },
      { path, size: data.length },
      {
        signMethods: ['MD5', 'SHA256'],
        idleTimeoutMs: 10_000,
        send: sendRequest,
        onProgress: (sent) => progress.push(sent)
      }
    )
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
    const upload = postObject(
      { ...ticket, Host: url },
      { path, size: data.length - 1000 },
      {
        signMethods: ['MD5'],
        idleTimeoutMs: 10_000,
        send: sendRequest
      }
    )
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
    const upload = postObject(
      { ...ticket, Host: `http://127.0.0.1:${port}/iotx-ota` },
      { path, size: 100 },
      {
        signMethods: ['MD5'],
        idleTimeoutMs: 10_000,
        send: sendRequest
      }
    )
    await expect(upload).rejects.toBeInstanceOf(TransportError)
  })
})
