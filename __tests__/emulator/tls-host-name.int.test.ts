import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { request } from 'node:https'
import type { LookupFunction } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEFAULT_ACCOUNT, startEmulator, type Emulator } from '../../emulator/index.js'
import { httpClient } from '../support/iot-client.js'
import type { HttpRequest, HttpResponse } from '../../src/net/transport.js'

/** Names under .test never resolve: every connection goes to 127.0.0.1, whatever the name (as a test proxy would route it). */
const toLoopback = ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) =>
  options.all ? callback(null, [{ address: '127.0.0.1', family: 4 }]) : callback(null, '127.0.0.1', 4)) as unknown as LookupFunction

let dir: string
let cert: Buffer
let emulator: Emulator

beforeAll(async () => {
  // A certificate made for this run only, for the names the emulator answers to.
  dir = mkdtempSync(join(tmpdir(), 'emulator-tls-'))
  const names = ['*.emulator.test', '*.cn-shanghai.emulator.test', '*.oss-cn-shanghai.emulator.test'].map((n) => `DNS:${n}`).join(',')
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=emulator.test',
      '-addext',
      `subjectAltName=${names}`,
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem')
    ],
    { stdio: 'ignore' }
  )
  cert = readFileSync(join(dir, 'cert.pem'))
  emulator = await startEmulator({ tls: { key: readFileSync(join(dir, 'key.pem')), cert }, hostName: 'emulator.test', qpsLimit: 0 })
})

afterAll(async () => {
  await emulator?.close()
  rmSync(dir, { recursive: true, force: true })
})

/** HTTPS to any name, connected to loopback and trusting this run's certificate only. */
function send(req: HttpRequest): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const outgoing = request(req.url, { method: req.method, headers: req.headers, ca: cert, lookup: toLoopback }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }))
    })
    outgoing.on('error', reject)
    outgoing.end(req.body as Buffer | undefined)
  })
}

describe('TLS and host names under .test', () => {
  it('listens with HTTPS and hands out URLs under its host name', () => {
    expect(emulator.url).toBe(`https://127.0.0.1:${emulator.port}`)
    expect(emulator.hostUrls.iot).toBe(`https://iot.cn-shanghai.emulator.test:${emulator.port}`)
    expect(emulator.hostUrls.oss).toBe(`https://oss-cn-shanghai.emulator.test:${emulator.port}`)
    expect(emulator.hostUrls.bucket('acme')).toBe(`https://acme.oss-cn-shanghai.emulator.test:${emulator.port}`)
  })

  it('publishes through the names: IoT API, PostObject to the virtual-hosted platform bucket, CreateOTAFirmware, download', async () => {
    const iot = httpClient(emulator.hostUrls.iot, DEFAULT_ACCOUNT, { send })
    const ticket = await iot.generateUploadUrl('bin')
    expect(ticket.Host).toBe(emulator.hostUrls.bucket('iotx-ota'))
    expect(ticket.FirmwareUrl).toBe(`${ticket.Host}/${ticket.Key}`)

    const bytes = Buffer.from('firmware over TLS')
    const form = new FormData()
    for (const [name, value] of [
      ['key', ticket.Key],
      ['policy', ticket.Policy],
      ['OSSAccessKeyId', ticket.OSSAccessKeyId],
      ['Signature', ticket.Signature]
    ] as const)
      form.append(name, value)
    form.append('file', new Blob([bytes]), 'fw.bin')
    const encoded = new Response(form)
    const body = Buffer.from(await encoded.arrayBuffer())
    const headers = { 'content-type': encoded.headers.get('content-type') ?? '', 'content-length': String(body.length) }
    const posted = await send({ url: ticket.Host, method: 'POST', headers, body, idleTimeoutMs: 10_000 })
    expect(posted.status).toBe(204)

    const created = await iot.createFirmware(
      {
        ProductKey: 'a1pk',
        DestVersion: '1.0.0',
        FirmwareName: 'tls-fw',
        FirmwareUrl: ticket.FirmwareUrl,
        SignMethod: 'MD5',
        NeedToVerify: false,
        Type: 0
      },
      async () => undefined
    )
    expect(created.FirmwareId).toMatch(/0100$/)
    const download = await send({ url: ticket.FirmwareUrl, method: 'GET', headers: {}, idleTimeoutMs: 10_000 })
    expect(download.body.equals(bytes)).toBe(true)
  })

  it('reads the bucket from a Host under its name, and a path-style request on its OSS endpoint', async () => {
    const bucketUrl = emulator.hostUrls.bucket('acme-firmware')
    // Anonymous reads of a missing object: NoSuchKey either way, so both addressings reach the user bucket.
    for (const url of [`${bucketUrl}/ota/none.bin`, `${emulator.hostUrls.oss}/acme-firmware/ota/none.bin`]) {
      const answer = await send({ url, method: 'GET', headers: {}, idleTimeoutMs: 10_000 })
      expect([answer.status, answer.body.toString()]).toEqual([404, expect.stringContaining('<Code>NoSuchKey</Code>')])
    }
  })
})
