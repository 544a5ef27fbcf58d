import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { setTimeout as sleep } from 'node:timers/promises'
import { fleetSpecs, startEmulator, type Emulator } from '../../emulator/index.js'
import { codeOf, rawCall } from '../support/rpc-call.js'

const PK = 'a1ListFile'
/** A short window, so that its end is reached in a test: the file's (60 minutes). */
const LIST_TTL_MS = 700

let emulator: Emulator

beforeAll(async () => {
  emulator = await startEmulator({ qpsLimit: 0, devices: fleetSpecs(5, 0), deviceListTtlMs: LIST_TTL_MS })
})

afterAll(async () => {
  await emulator.close()
})

interface Form {
  Host: string
  Key: string
  Policy: string
  Signature: string
  AccessKeyId?: string
  OSSAccessKeyId?: string
  FileUrl?: string
  FirmwareUrl?: string
}

/** PostObject as the documentation's sample writes it; `key` may be overridden to test the policy. */
async function upload(form: Form, content: Buffer | string, key = form.Key): Promise<{ status: number; text: string }> {
  const body = new FormData()
  const fields = {
    key,
    policy: form.Policy,
    OSSAccessKeyId: form.AccessKeyId ?? form.OSSAccessKeyId ?? '',
    Signature: form.Signature,
    success_action_status: '200'
  }
  for (const [name, value] of Object.entries(fields)) body.append(name, value)
  body.append('file', new Blob([content]), 'devices.csv')
  const response = await fetch(form.Host, { method: 'POST', body })
  return { status: response.status, text: await response.text() }
}

async function listForm(): Promise<Form> {
  const { json } = await rawCall(emulator, 'GenerateDeviceNameListURL')
  return json.Data as Form
}

let packages = 0
async function createPackage(): Promise<string> {
  const form = (await rawCall(emulator, 'GenerateOTAUploadURL')).json.Data as Form
  expect((await upload(form, 'firmware')).status).toBe(200)
  const name = `fw-list-${++packages}`
  const { json } = await rawCall(emulator, 'CreateOTAFirmware', {
    FirmwareName: name,
    DestVersion: '2.0.0',
    FirmwareUrl: form.FirmwareUrl ?? '',
    ProductKey: PK,
    NeedToVerify: 'false'
  })
  return json.Data.FirmwareId as string
}

const listJob = (firmwareId: string, url: string) => ({ FirmwareId: firmwareId, ProductKey: PK, TargetSelection: 'SPECIFIC', DnListFileUrl: url })

describe('GenerateDeviceNameListURL', () => {
  it('answers AccessKeyId and FileUrl (not OSSAccessKeyId and FirmwareUrl), a .csv key and a 5 MB policy', async () => {
    const { json } = await rawCall(emulator, 'GenerateDeviceNameListURL')
    expect(Object.keys(json.Data).sort()).toEqual(['AccessKeyId', 'FileUrl', 'Host', 'Key', 'ObjectStorage', 'Policy', 'Signature', 'UtcCreate'])
    const policy = JSON.parse(Buffer.from(json.Data.Policy, 'base64').toString('utf8'))
    expect(policy.conditions).toContainEqual(['content-length-range', 0, 5 * 1024 * 1024])
    expect(policy.conditions).toContainEqual(['eq', '$key', json.Data.Key])
  })

  it('the file is refused by OSS over 5 MB, under another key, or after the form expired', async () => {
    const form = await listForm()
    expect(await upload(form, Buffer.alloc(5 * 1024 * 1024 + 1, 'a'))).toMatchObject({ status: 400, text: expect.stringContaining('EntityTooLarge') })
    expect(await upload(form, 'fleet-0001\n', 'ota/other.csv')).toMatchObject({ status: 403, text: expect.stringContaining('Policy Condition failed') })
    // The form is valid for a minute (uploadPolicyTtlMs): shortened here.
    const hasty = await startEmulator({ qpsLimit: 0, uploadPolicyTtlMs: 50 })
    try {
      const expiring = (await rawCall(hasty, 'GenerateDeviceNameListURL')).json.Data as Form
      await sleep(100)
      expect(await upload(expiring, 'fleet-0001\n')).toMatchObject({ status: 403, text: expect.stringContaining('Policy expired') })
    } finally {
      await hasty.close()
    }
  })

  it('a job takes the file once, uploaded, within its window', async () => {
    const firmwareId = await createPackage()
    const form = await listForm()
    const url = form.FileUrl ?? ''
    expect(await codeOf(emulator, 'CreateOTAStaticUpgradeJob', listJob(firmwareId, url))).toBe('iot.system.IllegalRequest')
    expect((await upload(form, 'fleet-0001\nfleet-0002\n')).status).toBe(200)
    const { json } = await rawCall(emulator, 'CreateOTAStaticUpgradeJob', listJob(firmwareId, url))
    const tasks = (await rawCall(emulator, 'ListOTATaskByJob', { JobId: json.Data.JobId, PageSize: '10' })).json.Data.SimpleOTATaskInfo
    expect(tasks.map((t: { DeviceName: string }) => t.DeviceName)).toEqual(['fleet-0001', 'fleet-0002'])
    expect(await codeOf(emulator, 'CreateOTAStaticUpgradeJob', listJob(firmwareId, url))).toBe('iot.system.IllegalRequest')

    const late = await listForm()
    expect((await upload(late, 'fleet-0003\n')).status).toBe(200)
    await sleep(LIST_TTL_MS + 50)
    expect(await codeOf(emulator, 'CreateOTAStaticUpgradeJob', listJob(firmwareId, late.FileUrl ?? ''))).toBe('iot.system.IllegalRequest')
  })

  it('keeps the two kinds of upload apart, and refuses a file of more than 10,000 names', async () => {
    const firmwareId = await createPackage()
    const firmwareForm = (await rawCall(emulator, 'GenerateOTAUploadURL')).json.Data as Form
    expect((await upload(firmwareForm, 'fleet-0001\n')).status).toBe(200)
    expect(await codeOf(emulator, 'CreateOTAStaticUpgradeJob', listJob(firmwareId, firmwareForm.FirmwareUrl ?? ''))).toBe('iot.system.IllegalRequest')
    const form = await listForm()
    expect(
      (
        await upload(
          form,
          fleetSpecs(10_001, 0)
            .map((d) => d.name)
            .join('\n')
        )
      ).status
    ).toBe(200)
    expect(await codeOf(emulator, 'CreateOTAFirmware', { FirmwareName: 'fw-from-list', DestVersion: '3.0.0', FirmwareUrl: form.FileUrl ?? '' })).toBe(
      'iot.system.IllegalRequest'
    )
    expect(await codeOf(emulator, 'CreateOTAStaticUpgradeJob', listJob(firmwareId, form.FileUrl ?? ''))).toBe('iot.ota.TooManyOtaTask')
  })
})

describe('methods', () => {
  it('ReupgradeOTATask and ConfirmOTATask take POST only; the others GET too', async () => {
    expect(await codeOf(emulator, 'ConfirmOTATask', { 'TaskId.1': 'x' }, 'GET')).toBe('UnsupportedHTTPMethod')
    expect(await codeOf(emulator, 'ReupgradeOTATask', { JobId: 'x', 'TaskId.1': 'x' }, 'GET')).toBe('UnsupportedHTTPMethod')
    expect(await codeOf(emulator, 'ConfirmOTATask', { 'TaskId.1': 'x' }, 'POST')).toBe('iot.ota.InvalidTaskId')
    expect(await codeOf(emulator, 'QueryDevice', { ProductKey: PK }, 'GET')).toBe('accepted')
    expect(await codeOf(emulator, 'CancelOTATaskByDevice', { FirmwareId: 'nope', ProductKey: PK, 'DeviceName.1': 'fleet-0001' }, 'GET')).toBe(
      'iot.ota.FirmwareNotFound'
    )
  })
})

describe('the marketplace variant', () => {
  it('serves the new operations as GETs in lower camel case, and refuses job tags', async () => {
    const market = await startEmulator({ apiVariant: 'marketplace', qpsLimit: 0, devices: fleetSpecs(3, 0) })
    try {
      const devices = (await rawCall(market, 'QueryDevice', { ProductKey: PK }, 'GET')).json
      expect(devices).toMatchObject({ success: true, code: '', page: 1, total: 3 })
      expect(devices.data[0]).toMatchObject({ deviceName: 'fleet-0003', deviceSecret: expect.stringMatching(/^[0-9a-f]{32}$/) })
      const states = (await rawCall(market, 'BatchGetDeviceState', { ProductKey: PK, 'DeviceName.1': 'fleet-0001' }, 'GET')).json
      expect(states.deviceStatusList).toEqual([expect.objectContaining({ deviceName: 'fleet-0001', status: 'ONLINE' })])
      const list = (await rawCall(market, 'GenerateDeviceNameListURL', {}, 'GET')).json
      expect(Object.keys(list.data)).toEqual(expect.arrayContaining(['accessKeyId', 'fileUrl']))
      expect((await rawCall(market, 'ConfirmOTATask', { 'TaskId.1': 'x' }, 'GET')).json).toMatchObject({ success: false, code: 'iot.ota.InvalidTaskId' })
      const tagged = { FirmwareId: '143', ProductKey: PK, TargetSelection: 'ALL', 'Tag.1.Key': 'stage', 'Tag.1.Value': 'canary' }
      expect((await rawCall(market, 'CreateOTAStaticUpgradeJob', tagged, 'GET')).json).toMatchObject({
        success: false,
        code: 'iot.check.InvalidFormattedParameter'
      })
    } finally {
      await market.close()
    }
  })
})
