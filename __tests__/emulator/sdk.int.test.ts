import IotModule, * as $Iot from '@alicloud/iot20180120'
import * as $OpenApi from '@alicloud/openapi-client'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { DEFAULT_ACCOUNT, startEmulator, type Emulator, type EmulatorAccount } from '../../emulator/index.js'

/** The official SDK is CommonJS: its client class is the default export's `default`. */
const IotClient = IotModule.default

const STS_ACCOUNT: EmulatorAccount = {
  accessKeyId: 'STS.NUemulatorTemporaryKey',
  accessKeySecret: 'emulator-sts-secret',
  securityToken: 'CAIS-emulator-security-token'
}

let emulator: Emulator

beforeAll(async () => {
  // The QPS limit has its own raw-HTTP test; here it would only make the SDK rounds flaky.
  emulator = await startEmulator({ accounts: [DEFAULT_ACCOUNT, STS_ACCOUNT], qpsLimit: 0 })
})

afterAll(async () => {
  await emulator.close()
})

function client(account: EmulatorAccount, signatureAlgorithm?: 'v2'): InstanceType<typeof IotClient> {
  return new IotClient(
    new $OpenApi.Config({
      accessKeyId: account.accessKeyId,
      accessKeySecret: account.accessKeySecret,
      securityToken: account.securityToken,
      endpoint: `127.0.0.1:${emulator.port}`,
      protocol: 'http',
      signatureAlgorithm
    })
  )
}

/** PostObject with the fields GenerateOTAUploadURL returned, as a browser form would send them. */
async function upload(data: $Iot.GenerateOTAUploadURLResponseBodyData, bytes: Buffer): Promise<Response> {
  const form = new FormData()
  form.append('key', data.key ?? '')
  form.append('policy', data.policy ?? '')
  form.append('OSSAccessKeyId', data.OSSAccessKeyId ?? '')
  form.append('Signature', data.signature ?? '')
  form.append('success_action_status', '200')
  form.append('file', new Blob([bytes]), 'firmware.bin')
  return fetch(data.host ?? '', { method: 'POST', body: form })
}

const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex')

describe.each([
  ['V3 (SDK default)', DEFAULT_ACCOUNT, undefined],
  ['V2 (signatureAlgorithm v2)', DEFAULT_ACCOUNT, 'v2' as const],
  ['V3 with an STS token', STS_ACCOUNT, undefined],
  ['V2 with an STS token', STS_ACCOUNT, 'v2' as const]
])('official SDK, %s', (label, account, algorithm) => {
  it('generates an upload URL, uploads, creates, lists, queries and deletes a package', async () => {
    const iot = client(account, algorithm)
    const bytes = Buffer.from(`firmware image for ${label}`)
    const name = `fw-${label.replace(/[^A-Za-z0-9]/g, '')}`

    const url = await iot.generateOTAUploadURL(new $Iot.GenerateOTAUploadURLRequest({ fileSuffix: 'bin' }))
    expect(url.body?.success).toBe(true)
    const data = url.body?.data
    if (!data) throw new Error('GenerateOTAUploadURL returned no Data')
    expect(data.key).toMatch(/^ota\/[0-9a-f]{32}\/[0-9A-F]{32}\.bin$/)
    expect(data.firmwareUrl).toBe(`${data.host}/${data.key}`)
    expect(data.objectStorage).toBe('OSS')

    const posted = await upload(data, bytes)
    expect(posted.status).toBe(200)
    expect(posted.headers.get('etag')).toBe(`"${md5(bytes).toUpperCase()}"`)

    const created = await iot.createOTAFirmware(
      new $Iot.CreateOTAFirmwareRequest({
        firmwareName: name,
        destVersion: '1.2.3',
        firmwareUrl: data.firmwareUrl,
        firmwareSign: md5(bytes),
        signMethod: 'MD5',
        firmwareSize: bytes.length,
        productKey: 'a1EmulatorPk',
        needToVerify: false
      })
    )
    expect(created.body?.success).toBe(true)
    const firmwareId = created.body?.data?.firmwareId ?? ''
    expect(firmwareId).toMatch(/^[0-9A-Za-z]{26}$/)
    expect(created.body?.data?.utcCreate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/)

    const listed = await iot.listOTAFirmware(new $Iot.ListOTAFirmwareRequest({ currentPage: 1, pageSize: 100, productKey: 'a1EmulatorPk' }))
    const summary = listed.body?.firmwareInfo?.simpleFirmwareInfo?.find((f) => f.firmwareId === firmwareId)
    expect(summary).toMatchObject({ firmwareName: name, destVersion: '1.2.3', firmwareSize: bytes.length, status: -1, type: 0 })

    const queried = await iot.queryOTAFirmware(new $Iot.QueryOTAFirmwareRequest({ firmwareId }))
    const info = queried.body?.firmwareInfo
    expect(info).toMatchObject({ firmwareName: name, firmwareSign: md5(bytes), signMethod: 'MD5', moduleName: 'default', status: -1 })
    expect(info?.firmwareUrl).toMatch(/\?Expires=\d+&OSSAccessKeyId=[^&]+&Signature=[^&]+$/)
    const downloaded = await fetch(info?.firmwareUrl ?? '')
    expect(Buffer.from(await downloaded.arrayBuffer())).toEqual(bytes)

    const deleted = await iot.deleteOTAFirmware(new $Iot.DeleteOTAFirmwareRequest({ firmwareId }))
    expect(deleted.body?.success).toBe(true)
    const gone = await iot.queryOTAFirmware(new $Iot.QueryOTAFirmwareRequest({ firmwareId }))
    expect(gone.body).toMatchObject({ success: false, code: 'iot.ota.FirmwareNotFound' })
    expect(emulator.state.firmwares().some((f) => f.FirmwareId === firmwareId)).toBe(false)

    const mine = emulator.state.requests().filter((r) => r.accessKeyId === account.accessKeyId && r.status === 200)
    expect(mine.map((r) => r.action)).toEqual(
      expect.arrayContaining(['GenerateOTAUploadURL', 'CreateOTAFirmware', 'ListOTAFirmware', 'QueryOTAFirmware', 'DeleteOTAFirmware'])
    )
  })
})

describe('official SDK errors', () => {
  it.each([undefined, 'v2' as const])('a wrong secret throws SignatureDoesNotMatch (signature %s)', async (algorithm) => {
    const iot = client({ ...DEFAULT_ACCOUNT, accessKeySecret: 'not-the-secret' }, algorithm)
    await expect(iot.generateOTAUploadURL(new $Iot.GenerateOTAUploadURLRequest({}))).rejects.toMatchObject({
      code: 'SignatureDoesNotMatch',
      statusCode: 400
    })
  })

  it('an STS key without its token is refused', async () => {
    const iot = client({ ...STS_ACCOUNT, securityToken: undefined })
    await expect(iot.generateOTAUploadURL(new $Iot.GenerateOTAUploadURLRequest({}))).rejects.toMatchObject({ code: 'MissingSecurityToken' })
  })

  it('a duplicate FirmwareName comes back as Success false with the business code', async () => {
    const iot = client(DEFAULT_ACCOUNT)
    const bytes = Buffer.from('duplicate name')
    const request = async (firmwareUrl: string) =>
      iot.createOTAFirmware(new $Iot.CreateOTAFirmwareRequest({ firmwareName: 'dup-name', destVersion: '2.0.0', firmwareUrl }))
    const urls: string[] = []
    for (let i = 0; i < 2; i++) {
      const data = (await iot.generateOTAUploadURL(new $Iot.GenerateOTAUploadURLRequest({}))).body?.data
      if (!data) throw new Error('no upload URL')
      expect((await upload(data, bytes)).status).toBe(200)
      urls.push(data.firmwareUrl ?? '')
    }
    expect((await request(urls[0] ?? '')).body?.success).toBe(true)
    const duplicate = await request(urls[1] ?? '')
    expect(duplicate.statusCode).toBe(200)
    expect(duplicate.body).toMatchObject({ success: false, code: 'iot.firmware.AlreadyExistedFirmwareName' })
  })

  it('lists modules (a GET through the SDK) and creates one', async () => {
    const iot = client(DEFAULT_ACCOUNT)
    const created = await iot.createOTAModule(new $Iot.CreateOTAModuleRequest({ productKey: 'a1EmulatorPk', moduleName: 'wifi', aliasName: 'WiFi' }))
    expect(created.body?.success).toBe(true)
    const modules = await iot.listOTAModuleByProduct(new $Iot.ListOTAModuleByProductRequest({ productKey: 'a1EmulatorPk' }))
    expect(modules.body?.data?.map((m) => m.moduleName)).toEqual(['default', 'wifi'])
  })
})
