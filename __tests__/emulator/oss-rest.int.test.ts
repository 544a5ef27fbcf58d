import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { withEmulator } from '../support/emulator-harness.js'
import OSS from 'ali-oss'
import { createHash, randomBytes } from 'node:crypto'
import { Agent, request as httpRequest } from 'node:http'
import type { LookupFunction } from 'node:net'
import type { IotApi } from '../../src/platform/client.js'
import { httpClient } from '../support/iot-client.js'
import { crc64ByDefinition as crc64 } from '../support/crc64-definition.js'
import { DEFAULT_ACCOUNT, startEmulator, type Emulator, type EmulatorAccount } from '../../emulator/index.js'

const STS: EmulatorAccount = { accessKeyId: 'STS.ossTemp', accessKeySecret: 'sts-secret', securityToken: 'CAIS-token' }
const NO_DELETE: EmulatorAccount = { accessKeyId: 'LTAInoDelete', accessKeySecret: 'nd-secret', deny: ['DeleteObject'] }
const BUCKET = 'acme-firmware'

let emulator: Emulator

beforeAll(async () => {
  emulator = await startEmulator({ accounts: [DEFAULT_ACCOUNT, STS, NO_DELETE], qpsLimit: 0 })
})
afterAll(async () => {
  await emulator.close()
})
beforeEach(() => emulator.reset())

interface ClientOptions {
  v4?: boolean
  account?: EmulatorAccount
  secret?: string
  token?: string | null
  bucket?: string
  /**
   * How ali-oss addresses the bucket. 'virtual' (default): the IP endpoint with sldEnable off, which
   * sends `Host: <bucket>.oss-cn-shanghai.aliyuncs.com` and the key as the path, as in production.
   * 'path': a host-name endpoint (`localhost`, names no bucket) with sldEnable, `/<bucket>/<key>`.
   * 'repeated': the IP endpoint with sldEnable on: the bucket in the Host and again in the path.
   */
  addressing?: 'virtual' | 'path' | 'repeated'
  target?: Emulator
  /** Milliseconds added to the client's clock. */
  skew?: number
}

/** Whatever name is asked for, loopback: no test resolves a name or leaves 127.0.0.1. */
const toLoopback = ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) =>
  options.all ? callback(null, [{ address: '127.0.0.1', family: 4 }]) : callback(null, '127.0.0.1', 4)) as unknown as LookupFunction
const loopbackAgent = new Agent({ lookup: toLoopback })

/** The real ali-oss client on the emulator, addressed one of three ways. */
function client(options: ClientOptions = {}): OSS {
  const account = options.account ?? DEFAULT_ACCOUNT
  const target = options.target ?? emulator
  const addressing = options.addressing ?? 'virtual'
  const config = {
    accessKeyId: account.accessKeyId,
    accessKeySecret: options.secret ?? account.accessKeySecret,
    stsToken: options.token === null ? undefined : (options.token ?? account.securityToken),
    refreshSTSTokenInterval: 3_600_000,
    bucket: options.bucket ?? BUCKET,
    region: 'oss-cn-shanghai',
    endpoint: addressing === 'path' ? `http://localhost:${target.port}` : target.url,
    authorizationV4: options.v4 ?? true,
    sldEnable: addressing !== 'virtual',
    ...(addressing === 'path' && { agent: loopbackAgent }),
    amendTimeSkewed: options.skew
  }
  return new OSS(config)
}

/** The error an ali-oss call failed with (status and OSS code). */
async function failure(promise: Promise<unknown>): Promise<{ status: number; code: string }> {
  try {
    await promise
  } catch (error) {
    const { status, code } = error as { status: number; code: string }
    return { status, code }
  }
  throw new Error('expected the call to fail')
}

function iotClient(): IotApi {
  return httpClient(emulator.url, DEFAULT_ACCOUNT)
}

const md5Hex = (bytes: Buffer): string => createHash('md5').update(bytes).digest('hex')

describe.each<[string, boolean, 'virtual' | 'path']>([
  ['V4', true, 'virtual'],
  ['V1', false, 'virtual'],
  ['V4', true, 'path'],
  ['V1', false, 'path']
])('OSS REST with %s signatures, through ali-oss, %s addressing', (_scheme, v4, addressing) => {
  it('PutObject, HeadObject, GetObjectMeta, GetObject, DeleteObject', async () => {
    const oss = client({ v4, addressing })
    const bytes = randomBytes(70_000)
    const put = await oss.put('ota/wifi/1.2.3/my app+1.bin', bytes)
    const headers = put.res.headers as Record<string, string>
    expect(headers.etag).toBe(`"${md5Hex(bytes).toUpperCase()}"`)
    expect(headers['x-oss-hash-crc64ecma']).toBe(crc64(bytes))
    const base = addressing === 'path' ? `http://localhost:${emulator.port}/${BUCKET}` : emulator.url
    expect(put.url).toBe(`${base}/ota/wifi/1.2.3/my%20app%2B1.bin`)

    const head = (await oss.head('ota/wifi/1.2.3/my app+1.bin')).res.headers as Record<string, string>
    expect(head).toMatchObject({
      'content-length': '70000',
      'x-oss-hash-crc64ecma': crc64(bytes),
      'content-md5': createHash('md5').update(bytes).digest('base64'),
      'x-oss-object-type': 'Normal'
    })
    // GetObjectMeta is missing from ali-oss's type definitions.
    const meta = await (oss as OSS & { getObjectMeta(name: string): Promise<{ res: { headers: object } }> }).getObjectMeta('ota/wifi/1.2.3/my app+1.bin')
    expect((meta.res.headers as Record<string, string>)['content-length']).toBe('70000')
    expect(Buffer.compare((await oss.get('ota/wifi/1.2.3/my app+1.bin')).content as Buffer, bytes)).toBe(0)
    expect(emulator.state.objects()).toMatchObject([{ bucket: BUCKET, key: 'ota/wifi/1.2.3/my app+1.bin', size: 70_000, md5: md5Hex(bytes) }])

    await oss.delete('ota/wifi/1.2.3/my app+1.bin')
    expect(await failure(oss.head('ota/wifi/1.2.3/my app+1.bin'))).toEqual({ status: 404, code: 'NoSuchKey' })
    expect(emulator.state.objects()).toHaveLength(0)
  })

  it('a multipart upload in parallel parts', async () => {
    const bytes = randomBytes(1024 * 1024 + 12_345)
    const oss = client({ v4, addressing })
    const result = await oss.multipartUpload('big.bin', bytes, { parallel: 3, partSize: 256 * 1024 })
    const etag = createHash('md5')
      .update(
        Buffer.concat(
          [0, 1, 2, 3, 4].map((i) =>
            createHash('md5')
              .update(bytes.subarray(i * 262_144, (i + 1) * 262_144))
              .digest()
          )
        )
      )
      .digest('hex')
      .toUpperCase()
    expect(result.etag).toBe(`"${etag}-5"`)
    const head = (await oss.head('big.bin')).res.headers as Record<string, string>
    expect(head).toMatchObject({ 'x-oss-hash-crc64ecma': crc64(bytes), 'x-oss-object-type': 'Multipart', 'content-length': String(bytes.length) })
    expect(head['content-md5']).toBeUndefined()
    expect(emulator.state.objects()[0]?.md5).toBe(md5Hex(bytes))
    const actions = emulator.state.requests().map((r) => r.action)
    expect(actions.filter((a) => a === 'UploadPart')).toHaveLength(5)
    expect(actions).toContain('InitiateMultipartUpload')
    expect(actions).toContain('CompleteMultipartUpload')
  })

  it('a wrong secret is SignatureDoesNotMatch, an unknown key InvalidAccessKeyId', async () => {
    expect(await failure(client({ v4, addressing, secret: 'wrong' }).put('x.bin', Buffer.from('x')))).toEqual({ status: 403, code: 'SignatureDoesNotMatch' })
    expect(await failure(client({ v4, addressing, account: { accessKeyId: 'LTAInobody', accessKeySecret: 's' } }).put('x.bin', Buffer.from('x')))).toEqual({
      status: 403,
      code: 'InvalidAccessKeyId'
    })
    expect(emulator.state.objects()).toHaveLength(0)
  })

  it('STS keys need their token', async () => {
    await client({ v4, addressing, account: STS }).put('sts.bin', Buffer.from('ok'))
    expect(await failure(client({ v4, addressing, account: STS, token: null }).put('sts.bin', Buffer.from('x')))).toEqual({
      status: 403,
      code: 'InvalidAccessKeyId'
    })
    expect(await failure(client({ v4, addressing, account: STS, token: 'CAIS-other' }).put('sts.bin', Buffer.from('x')))).toEqual({
      status: 403,
      code: 'InvalidSecurityToken'
    })
  })

  it('a clock 20 minutes off is RequestTimeTooSkewed', async () => {
    expect(await failure(client({ v4, addressing, skew: 20 * 60_000 }).put('x.bin', Buffer.from('x')))).toEqual({ status: 403, code: 'RequestTimeTooSkewed' })
  })
})

describe('OSS addressing: the Host header first, as OSS reads it', () => {
  it.each([
    ['V4', true],
    ['V1', false]
  ])('%s: a path that repeats the bucket under a virtual-hosted Host is the key "bucket/…", so a signature for /bucket/key fails', async (_scheme, v4) => {
    expect(await failure(client({ v4, addressing: 'repeated' }).put('ota/fw.bin', Buffer.from('x')))).toEqual({ status: 403, code: 'SignatureDoesNotMatch' })
    expect(emulator.state.objects()).toEqual([])
  })

  it('a key that starts with the bucket name is stored under that whole key, and read back the same way', async () => {
    const bytes = Buffer.from('bucket name in the key')
    await client().put(`${BUCKET}/ota/fw.bin`, bytes)
    expect(emulator.state.objects()).toMatchObject([{ bucket: BUCKET, key: `${BUCKET}/ota/fw.bin` }])
    // The same path under a Host that names the bucket: the whole path is the key.
    const got = await new Promise<{ status: number; body: Buffer }>((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port: emulator.port, path: `/${BUCKET}/ota/fw.bin`, headers: { host: `${BUCKET}.oss-cn-shanghai.aliyuncs.com` } },
        (res) => {
          const chunks: Buffer[] = []
          res.on('data', (c: Buffer) => chunks.push(c))
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }))
        }
      )
      req.on('error', reject)
      req.end()
    })
    expect(got.status).toBe(200)
    expect(got.body.equals(bytes)).toBe(true)
    // Path-style (a Host that names no bucket), the path's first segment is the bucket.
    expect(await (await fetch(`${emulator.url}/${BUCKET}/${BUCKET}/ota/fw.bin`)).text()).toBe('bucket name in the key')
    expect((await fetch(`${emulator.url}/${BUCKET}/ota/fw.bin`)).status).toBe(404)
  })
})

describe('OSS REST: objects', () => {
  it('x-oss-forbid-overwrite refuses an existing key, for PutObject and multipart uploads', async () => {
    const oss = client()
    const forbid = { headers: { 'x-oss-forbid-overwrite': 'true' } }
    await oss.put('fw.bin', Buffer.from('first'), forbid)
    expect(await failure(oss.put('fw.bin', Buffer.from('second'), forbid))).toEqual({ status: 409, code: 'FileAlreadyExists' })
    expect(await failure(oss.multipartUpload('fw.bin', randomBytes(300 * 1024), { partSize: 100 * 1024, ...forbid }))).toEqual({
      status: 409,
      code: 'FileAlreadyExists'
    })
    // Without the header, PutObject overwrites, as OSS does.
    await oss.put('fw.bin', Buffer.from('third'))
    expect(emulator.state.objects()).toMatchObject([{ size: 5, md5: md5Hex(Buffer.from('third')) }])
  })

  it('a Content-MD5 that does not match the body is InvalidDigest, and nothing is stored', async () => {
    const wrong = createHash('md5').update('other').digest('base64')
    expect(await failure(client().put('fw.bin', Buffer.from('body'), { headers: { 'Content-MD5': wrong } }))).toEqual({ status: 400, code: 'InvalidDigest' })
    expect(emulator.state.objects()).toHaveLength(0)
  })

  it('CompleteMultipartUpload checks the parts; AbortMultipartUpload drops them', async () => {
    const oss = client()
    const { uploadId } = await oss.initMultipartUpload('parts.bin')
    const part = randomBytes(150 * 1024)
    const one = await oss.uploadPart('parts.bin', uploadId, 1, part, 0, part.length)
    expect(await failure(oss.completeMultipartUpload('parts.bin', uploadId, [{ number: 1, etag: '"0000"' }]))).toEqual({ status: 400, code: 'InvalidPart' })
    await oss.uploadPart('parts.bin', uploadId, 2, part, 0, 10)
    await oss.abortMultipartUpload('parts.bin', uploadId)
    expect(await failure(oss.completeMultipartUpload('parts.bin', uploadId, [{ number: 1, etag: one.etag }]))).toEqual({ status: 404, code: 'NoSuchUpload' })
    expect(emulator.state.objects()).toHaveLength(0)
  })

  it('parts smaller than 100 KB, but the last, are EntityTooSmall', async () => {
    const oss = client()
    const { uploadId } = await oss.initMultipartUpload('small.bin')
    const part = randomBytes(1000)
    const one = await oss.uploadPart('small.bin', uploadId, 1, part, 0, part.length)
    const two = await oss.uploadPart('small.bin', uploadId, 2, part, 0, part.length)
    expect(
      await failure(
        oss.completeMultipartUpload('small.bin', uploadId, [
          { number: 1, etag: one.etag },
          { number: 2, etag: two.etag }
        ])
      )
    ).toEqual({ status: 400, code: 'EntityTooSmall' })
  })

  it('anonymous requests may read but not write', async () => {
    await client().put('public.bin', Buffer.from('hello'))
    const get = await fetch(`${emulator.url}/${BUCKET}/public.bin`)
    expect(get.status).toBe(200)
    expect(await get.text()).toBe('hello')
    const ranged = await fetch(`${emulator.url}/${BUCKET}/public.bin`, { headers: { range: 'bytes=1-3' } })
    expect([ranged.status, await ranged.text()]).toEqual([206, 'ell'])
    const put = await fetch(`${emulator.url}/${BUCKET}/public.bin`, { method: 'PUT', body: 'evil' })
    expect(put.status).toBe(403)
    expect(await put.text()).toContain('<Code>AccessDenied</Code>')
    const del = await fetch(`${emulator.url}/${BUCKET}/public.bin`, { method: 'DELETE' })
    expect(del.status).toBe(403)
  })

  it('a RAM deny on DeleteObject is AccessDenied', async () => {
    await client().put('keep.bin', Buffer.from('x'))
    expect(await failure(client({ account: NO_DELETE }).delete('keep.bin'))).toEqual({ status: 403, code: 'AccessDenied' })
    expect(emulator.state.objects()).toHaveLength(1)
  })

  it('the platform bucket is not a user bucket', async () => {
    expect(await failure(client({ bucket: 'iotx-ota' }).put('x.bin', Buffer.from('x')))).toMatchObject({ status: 405 })
  })

  it('with the buckets option, other buckets do not exist', async () => {
    await withEmulator({ buckets: ['only-this'] }, async (other) => {
      await client({ target: other, bucket: 'only-this' }).put('a.bin', Buffer.from('a'))
      expect(await failure(client({ target: other, bucket: 'another' }).put('a.bin', Buffer.from('a')))).toEqual({ status: 404, code: 'NoSuchBucket' })
    })
    await expect(startEmulator({ buckets: ['iotx-ota'] })).rejects.toThrow('platform')
  })

  it("faults can name OSS operations, and '*' leaves them alone", async () => {
    emulator.faults.add({ kind: 'server-error', action: '*', count: 1 })
    await client().put('a.bin', Buffer.from('a'))
    expect(emulator.faults.list()).toHaveLength(1)
    emulator.faults.clear()
    emulator.faults.add({ kind: 'server-error', action: 'UploadPart', count: 1, status: 503 })
    expect(await failure(client().multipartUpload('b.bin', randomBytes(200 * 1024), { partSize: 100 * 1024, parallel: 1 }))).toEqual({
      status: 503,
      code: 'ServiceUnavailable'
    })
  })
})

describe('CreateOTAFirmware with a FirmwareUrl in a user bucket', () => {
  const base = { ProductKey: 'a1pk', DestVersion: '1.0.0', SignMethod: 'MD5', NeedToVerify: false, Type: 0 as const }

  it('registers the object, checks size and sign, fills them in when omitted', async () => {
    const bytes = randomBytes(5000)
    await client().put('ota/fw.bin', bytes)
    const url = `${emulator.url}/${BUCKET}/ota/fw.bin`
    const iot = iotClient()
    await expect(
      iot.createFirmware({ ...base, FirmwareName: 'bad-sign', FirmwareUrl: url, FirmwareSign: 'a'.repeat(32), FirmwareSize: 5000 }, async () => undefined)
    ).rejects.toThrow('iot.system.IllegalRequest')
    await expect(iot.createFirmware({ ...base, FirmwareName: 'bad-size', FirmwareUrl: url, FirmwareSize: 4999 }, async () => undefined)).rejects.toThrow(
      'does not match the uploaded file'
    )
    const created = await iot.createFirmware({ ...base, FirmwareName: 'omitted', FirmwareUrl: url }, async () => undefined)
    const detail = await iot.queryFirmware(created.FirmwareId)
    expect(detail).toMatchObject({ FirmwareSign: md5Hex(bytes), FirmwareSize: 5000 })
    // The platform cannot sign URLs of another bucket: the URL comes back as registered.
    expect(detail.FirmwareUrl).toBe(url)
  })

  it('refuses a URL with no object behind it, and URLs of other hosts', async () => {
    const iot = iotClient()
    await expect(
      iot.createFirmware({ ...base, FirmwareName: 'missing', FirmwareUrl: `${emulator.url}/${BUCKET}/nothing.bin` }, async () => undefined)
    ).rejects.toThrow('No object exists')
    await expect(
      iot.createFirmware({ ...base, FirmwareName: 'foreign', FirmwareUrl: 'https://cdn.example.com/fw.bin' }, async () => undefined)
    ).rejects.toThrow('neither issued by GenerateOTAUploadURL nor names an object in this OSS')
  })
})
