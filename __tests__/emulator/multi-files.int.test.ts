import IotModule, * as $Iot from '@alicloud/iot20180120'
import * as $OpenApi from '@alicloud/openapi-client'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createHash, randomUUID } from 'node:crypto'
import { DEFAULT_ACCOUNT, startEmulator, type Emulator } from '../../emulator/index.js'
import { withEmulator } from '../support/emulator-harness.js'
import { rawRpc, uploadFirmwareFile } from '../support/rpc-call.js'

/** The official SDK is CommonJS: its client class is the default export's `default`. */
const IotClient = IotModule.default

const md5 = (text: string) => createHash('md5').update(text).digest('hex')
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')

let emulator: Emulator
/** 21 uploaded files: `file-1` … `file-21`, their FirmwareUrls in order. */
let urls: string[]
const content = (i: number) => `content of file ${i + 1}`

beforeAll(async () => {
  emulator = await startEmulator({ qpsLimit: 0 })
  urls = []
  for (let i = 0; i < 21; i++) urls.push(await uploadFirmwareFile(emulator, content(i)))
})
afterAll(async () => {
  await emulator.close()
})

function sdk(): InstanceType<typeof IotClient> {
  return new IotClient(
    new $OpenApi.Config({
      accessKeyId: DEFAULT_ACCOUNT.accessKeyId,
      accessKeySecret: DEFAULT_ACCOUNT.accessKeySecret,
      endpoint: `127.0.0.1:${emulator.port}`,
      protocol: 'http'
    })
  )
}

/** `MultiFiles.N.*` for files 1..count (names `file-N`), plus overrides. */
function multiFiles(count: number, overrides: Record<string, string> = {}): Record<string, string> {
  const params: Record<string, string> = {}
  for (let i = 0; i < count; i++) {
    params[`MultiFiles.${i + 1}.Name`] = `file-${i + 1}`
    params[`MultiFiles.${i + 1}.Url`] = urls[i] ?? ''
  }
  return { ...params, ...overrides }
}

const create = (params: Record<string, string>) =>
  rawRpc(emulator, 'CreateOTAFirmware', { FirmwareName: `multi-${randomUUID().slice(0, 8)}`, DestVersion: '3.0.0', ...params })

describe('multi-file packages through the official SDK', () => {
  it('creates one from MultiFiles and reads the files back from QueryOTAFirmware, signed and downloadable', async () => {
    const created = await sdk().createOTAFirmware(
      new $Iot.CreateOTAFirmwareRequest({
        firmwareName: 'multi-sdk',
        destVersion: '3.0.0',
        productKey: 'a1pk',
        multiFiles: [
          new $Iot.CreateOTAFirmwareRequestMultiFiles({
            name: 'app.bin',
            url: urls[0],
            size: content(0).length,
            signValue: md5(content(0)),
            fileMd5: md5(content(0))
          }),
          new $Iot.CreateOTAFirmwareRequestMultiFiles({ name: 'data.bin', url: urls[1] })
        ]
      })
    )
    expect(created.body?.success).toBe(true)
    const firmwareId = created.body?.data?.firmwareId ?? ''
    const info = (await sdk().queryOTAFirmware(new $Iot.QueryOTAFirmwareRequest({ firmwareId }))).body?.firmwareInfo
    expect(info?.firmwareUrl).toBeUndefined()
    expect(info?.firmwareSize).toBeUndefined()
    expect(info?.firmwareSign).toBeUndefined()
    expect(info?.multiFiles?.map(({ name, size, signValue, fileMd5 }) => ({ name, size, signValue, fileMd5 }))).toEqual([
      { name: 'app.bin', size: content(0).length, signValue: md5(content(0)), fileMd5: md5(content(0)) },
      { name: 'data.bin', size: content(1).length, signValue: md5(content(1)), fileMd5: md5(content(1)) }
    ])
    for (const [i, file] of (info?.multiFiles ?? []).entries()) {
      expect(file.url).toMatch(/\?Expires=\d+&OSSAccessKeyId=[^&]+&Signature=[^&]+$/)
      expect(await (await fetch(file.url ?? '')).text()).toBe(content(i))
    }
  })

  it('QueryOTAFirmware puts MultiFiles as a bare array; ListOTAFirmware rows carry no MultiFiles', async () => {
    const created = await create({ ...multiFiles(3), SignMethod: 'SHA256', ProductKey: 'a1bare' })
    const firmwareId = (created.json.Data as { FirmwareId: string }).FirmwareId
    const info = (await rawRpc(emulator, 'QueryOTAFirmware', { FirmwareId: firmwareId })).json.FirmwareInfo as Record<string, unknown>
    expect(Array.isArray(info.MultiFiles)).toBe(true)
    expect((info.MultiFiles as Array<{ SignValue: string }>).map((f) => f.SignValue)).toEqual([0, 1, 2].map((i) => sha256(content(i))))
    const list = await rawRpc(emulator, 'ListOTAFirmware', { CurrentPage: '1', PageSize: '10', ProductKey: 'a1bare' })
    const [row] = (list.json.FirmwareInfo as { SimpleFirmwareInfo: Array<Record<string, unknown>> }).SimpleFirmwareInfo
    expect(row).toMatchObject({ FirmwareId: firmwareId, SignMethod: 'SHA256' })
    expect(row).not.toHaveProperty('MultiFiles')
    expect(row).not.toHaveProperty('FirmwareUrl')
  })

  it("takes 20 files and names of 32 letters, digits, '.', '-' and '_'", async () => {
    expect((await create(multiFiles(20))).json).toMatchObject({ Success: true })
    const names = { 'MultiFiles.1.Name': 'n'.repeat(32), 'MultiFiles.2.Name': `Boot_1.2-${'x'.repeat(23)}` }
    expect((await create(multiFiles(2, names))).json).toMatchObject({ Success: true })
  })
})

describe('refusals', () => {
  /** Every row names a message pattern: a row shorter than the test's parameters would make jest pass `done`. */
  const ANY = /./
  // Functions: the uploads exist only once beforeAll has run.
  it.each<[string, () => Record<string, string>, string, RegExp]>([
    ['21 files', () => multiFiles(21), 'iot.system.IllegalRequest', /at most 20/],
    ['one file (FirmwareUrl is for that)', () => multiFiles(1), 'iot.check.NullParameter', /FirmwareUrl/],
    ['a duplicate name', () => multiFiles(2, { 'MultiFiles.2.Name': 'file-1' }), 'iot.system.IllegalRequest', /file-1 appears twice/],
    ['the same Url twice', () => multiFiles(2, { 'MultiFiles.2.Url': urls[0] ?? '' }), 'iot.system.IllegalRequest', /appears twice/],
    ['a name of 33 characters', () => multiFiles(2, { 'MultiFiles.1.Name': 'n'.repeat(33) }), 'iot.check.InvalidFormattedParameter', ANY],
    // The character set is not documented: the strict reading keeps to letters, digits, '.', '-', '_'.
    ['a name in Chinese', () => multiFiles(2, { 'MultiFiles.1.Name': '固件.bin' }), 'iot.check.InvalidFormattedParameter', /固件\.bin/],
    ['a name with a space', () => multiFiles(2, { 'MultiFiles.1.Name': 'my app.bin' }), 'iot.check.InvalidFormattedParameter', ANY],
    // Unique, letter case aside (strict: module names, whose page says so, compare that way).
    ['a duplicate name in another case', () => multiFiles(2, { 'MultiFiles.2.Name': 'FILE-1' }), 'iot.system.IllegalRequest', /FILE-1 appears twice/],
    ['a file without Name', () => multiFiles(2, { 'MultiFiles.2.Name': '' }), 'iot.check.NullParameter', ANY],
    ['a file without Url', () => multiFiles(2, { 'MultiFiles.2.Url': '' }), 'iot.check.NullParameter', ANY],
    [
      'a gap in the indices',
      () => ({ ...multiFiles(1), 'MultiFiles.3.Name': 'c', 'MultiFiles.3.Url': urls[2] ?? '' }),
      'iot.check.InvalidFormattedParameter',
      ANY
    ],
    ['FirmwareUrl together with MultiFiles', () => multiFiles(2, { FirmwareUrl: urls[5] ?? '' }), 'iot.system.IllegalRequest', /FirmwareUrl/],
    ['FirmwareSign together with MultiFiles', () => multiFiles(2, { FirmwareSign: md5(content(0)) }), 'iot.system.IllegalRequest', /FirmwareSign/],
    ['FirmwareSize together with MultiFiles', () => multiFiles(2, { FirmwareSize: '10' }), 'iot.system.IllegalRequest', /FirmwareSize/],
    ['a wrong Size', () => multiFiles(2, { 'MultiFiles.1.Size': '1' }), 'iot.system.IllegalRequest', ANY],
    ['a Size that is not a number', () => multiFiles(2, { 'MultiFiles.1.Size': 'big' }), 'iot.check.InvalidFormattedParameter', ANY],
    ['a wrong SignValue', () => multiFiles(2, { 'MultiFiles.2.SignValue': md5('other') }), 'iot.system.IllegalRequest', ANY],
    [
      'an MD5 SignValue under SHA256',
      () => multiFiles(2, { SignMethod: 'SHA256', 'MultiFiles.1.SignValue': md5(content(0)) }),
      'iot.system.IllegalRequest',
      ANY
    ],
    ['a wrong FileMd5', () => multiFiles(2, { 'MultiFiles.1.FileMd5': sha256(content(0)) }), 'iot.system.IllegalRequest', ANY],
    [
      'a Url never issued',
      () => multiFiles(2, { 'MultiFiles.2.Url': 'https://iotx-ota.oss-cn-shanghai.aliyuncs.com/ota/a/b.bin' }),
      'iot.system.IllegalRequest',
      ANY
    ]
  ])('%s', async (_label, params, code, message) => {
    const before = emulator.state.firmwares().length
    const answer = await create(params())
    expect(answer.status).toBe(200)
    expect(answer.json).toMatchObject({ Success: false, Code: code, ErrorMessage: message })
    expect(emulator.state.firmwares()).toHaveLength(before)
  })

  it('a Url issued but never uploaded to', async () => {
    const issued = (await rawRpc(emulator, 'GenerateOTAUploadURL')).json.Data as { FirmwareUrl: string }
    const answer = await create(multiFiles(2, { 'MultiFiles.2.Url': issued.FirmwareUrl }))
    expect(answer.json).toMatchObject({ Success: false, Code: 'iot.system.IllegalRequest', ErrorMessage: expect.stringMatching(/upload it/) })
  })

  it('the marketplace variant takes no MultiFiles', async () => {
    await withEmulator({ apiVariant: 'marketplace' }, async (market) => {
      const answer = await rawRpc(
        market,
        'CreateOTAFirmware',
        { FirmwareName: 'm', DestVersion: '1.0.0', 'MultiFiles.1.Name': 'a', 'MultiFiles.1.Url': 'u', 'MultiFiles.2.Name': 'b', 'MultiFiles.2.Url': 'v' },
        { method: 'GET', marketplace: true }
      )
      expect(answer.json).toMatchObject({ success: false, code: 'iot.check.InvalidFormattedParameter', errorMessage: 'MultiFiles is not supported.' })
    })
  })
})

describe('the 60 minutes between upload and registration', () => {
  it('refuses a file uploaded longer ago than uploadTtlMs, in MultiFiles as in FirmwareUrl, and takes a fresh one', async () => {
    // A short window, so that its end is reached in a test: the documented 60 minutes, real time.
    const ttlMs = 300
    await withEmulator({ qpsLimit: 0, uploadTtlMs: ttlMs }, async (other) => {
      const old = [await uploadFirmwareFile(other, 'old one'), await uploadFirmwareFile(other, 'old two')]
      await new Promise((resolve) => setTimeout(resolve, ttlMs + 50))
      const fresh = await uploadFirmwareFile(other, 'fresh')
      const register = (params: Record<string, string>) =>
        rawRpc(other, 'CreateOTAFirmware', { FirmwareName: `p-${randomUUID().slice(0, 8)}`, DestVersion: '1.0.0', ...params })
      const cleanedUp = {
        Success: false,
        Code: 'iot.system.IllegalRequest',
        ErrorMessage: expect.stringMatching(/more than 60 minutes ago and has been cleaned up/)
      }
      expect(
        (await register({ 'MultiFiles.1.Name': 'a', 'MultiFiles.1.Url': fresh, 'MultiFiles.2.Name': 'b', 'MultiFiles.2.Url': old[1]! })).json
      ).toMatchObject(cleanedUp)
      expect((await register({ FirmwareUrl: old[0]! })).json).toMatchObject(cleanedUp)
      expect((await register({ FirmwareUrl: fresh })).json).toMatchObject({ Success: true })
    })
  })
})

describe('jobs of a multi-file package', () => {
  // An MQTT download carries one file of at most 16 MB (CreateOTAStaticUpgradeJob's DownloadProtocol).
  // A verify job needs a package to verify; batch jobs one that needs no verification (or is verified).
  it.each<[string, Record<string, string>, string]>([
    ['CreateOTAVerifyJob', { 'TargetDeviceName.1': 'test-device-1' }, 'true'],
    ['CreateOTAStaticUpgradeJob', { TargetSelection: 'ALL' }, 'false'],
    ['CreateOTADynamicUpgradeJob', { 'SrcVersion.1': '1.0.0' }, 'false']
  ])('%s refuses DownloadProtocol MQTT and takes HTTPS', async (action, scope, needToVerify) => {
    const created = await create({ ...multiFiles(2), ProductKey: 'a1jobs', NeedToVerify: needToVerify })
    const params = { FirmwareId: (created.json.Data as { FirmwareId: string }).FirmwareId, ProductKey: 'a1jobs', ...scope }
    const mqtt = await rawRpc(emulator, action, { ...params, DownloadProtocol: 'MQTT' })
    expect(mqtt.json).toMatchObject({ Success: false, Code: 'iot.system.IllegalRequest', ErrorMessage: expect.stringMatching(/MQTT carries a single file/) })
    expect((await rawRpc(emulator, action, { ...params, DownloadProtocol: 'HTTPS' })).json).toMatchObject({ Success: true })
  })
})

describe('deleting a multi-file package', () => {
  it('removes every file it uploaded', async () => {
    await withEmulator({ qpsLimit: 0 }, async (other) => {
      const files = [await uploadFirmwareFile(other, 'one'), await uploadFirmwareFile(other, 'two')]
      const params = { 'MultiFiles.1.Name': 'a', 'MultiFiles.1.Url': files[0] ?? '', 'MultiFiles.2.Name': 'b', 'MultiFiles.2.Url': files[1] ?? '' }
      const created = await rawRpc(other, 'CreateOTAFirmware', { FirmwareName: 'two-files', DestVersion: '1.0.0', ...params })
      expect(other.state.objects()).toHaveLength(2)
      const deleted = await rawRpc(other, 'DeleteOTAFirmware', { FirmwareId: (created.json.Data as { FirmwareId: string }).FirmwareId })
      expect(deleted.json.Success).toBe(true)
      expect(other.state.objects()).toEqual([])
    })
  })
})
